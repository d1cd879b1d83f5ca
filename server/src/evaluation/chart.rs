//! The dashboard's charts, drawn with plotters' SVG backend on the server: residents
//! and staff download no charting code, and every chart has a table beside it for
//! screen readers (the SVG itself is `aria-hidden`). Series differ by marker and dash
//! as well as colour, so colour is never the only cue.

use linli_core::date::Date;
use linli_core::evaluation::{Approval, Counts};
use plotters::prelude::*;

/// Width and height of a chart, in CSS pixels (it scales down to the page).
const SIZE: (u32, u32) = (480, 260);
const FONT: &str = "sans-serif";
/// Colours of the console's palette, each at least 3:1 against white.
const BLUE: RGBColor = RGBColor(0x1f, 0x5f, 0xa8);
const ORANGE: RGBColor = RGBColor(0xb3, 0x52, 0x00);
const GREEN: RGBColor = RGBColor(0x2e, 0x7d, 0x32);
const GREY: RGBColor = RGBColor(0x55, 0x55, 0x55);

/// A line of the use chart: its value of a day's counts, its colour, its marker.
type Series = (fn(&Counts) -> u32, RGBColor, usize);

/// Why a chart could not be drawn (only a bug in the numbers given to it).
#[derive(Debug)]
pub struct ChartError(pub String);

fn err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError(format!("{e:?}"))
}

/// Use per day: opened, begun and done, three lines with their names in the legend
/// (`names` in that order).
pub fn use_per_day(daily: &[(Date, Counts)], names: [&str; 3]) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let top = daily
            .iter()
            .map(|(_, c)| c.visits.max(c.started).max(c.completed))
            .max()
            .unwrap_or(0)
            .max(4);
        let last = daily.len().saturating_sub(1).max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(44)
            .build_cartesian_2d(0..last, 0..top + top / 8 + 1)
            .map_err(err)?;
        let label = |i: &usize| {
            daily
                .get(*i)
                .map(|(d, _)| format!("{:02}-{:02}", d.month, d.day))
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .x_labels(7)
            .y_labels(5)
            .x_label_formatter(&label)
            .label_style((FONT, 16))
            .light_line_style(WHITE)
            .draw()
            .map_err(err)?;
        let series: [Series; 3] = [
            (|c| c.visits, BLUE, 0),
            (|c| c.started, ORANGE, 1),
            (|c| c.completed, GREEN, 2),
        ];
        for (value, colour, n) in series {
            let points: Vec<(usize, u32)> = daily
                .iter()
                .enumerate()
                .map(|(i, (_, c))| (i, value(c)))
                .collect();
            let style = colour.stroke_width(2);
            chart
                .draw_series(LineSeries::new(points.iter().copied(), style))
                .map_err(err)?
                .label(names[n])
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            // A marker of its own shape on every point: circle, triangle, cross.
            match n {
                0 => chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled()))),
                1 => chart.draw_series(
                    points
                        .iter()
                        .map(|&p| TriangleMarker::new(p, 4, colour.filled())),
                ),
                _ => chart.draw_series(
                    points
                        .iter()
                        .map(|&p| Cross::new(p, 4, colour.stroke_width(2))),
                ),
            }
            .map_err(err)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font((FONT, 16))
            .background_style(WHITE.mix(0.9))
            .border_style(GREY)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// How many gave each score, 1 to 5, as bars labelled with their words (`labels`).
pub fn scores(approval: &Approval, labels: [&str; 5]) -> Result<String, ChartError> {
    bars(
        &labels
            .iter()
            .zip(approval.by_score)
            .map(|(l, n)| ((*l).to_owned(), n))
            .collect::<Vec<_>>(),
        None,
    )
}

/// How many gave each answer, one bar per `(label, count)`: a form's choice question
/// on its answers page.
pub fn counts(values: &[(String, u32)]) -> Result<String, ChartError> {
    bars(values, None)
}

/// A value per service (the share of 4–5 in thousandths, shown as percent), one bar
/// each; a service without a value has no bar and says `none` under its name.
pub fn per_service(values: &[(String, Option<u32>)], none: &str) -> Result<String, ChartError> {
    let bars_of: Vec<(String, u32)> = values
        .iter()
        .map(|(name, v)| match v {
            Some(_) => (name.clone(), v.unwrap_or(0)),
            None => (format!("{name}（{none}）"), 0),
        })
        .collect();
    bars(&bars_of, Some(1000))
}

/// Vertical bars, one per `(label, value)`; with `permille_of` the axis runs to that
/// maximum and reads in percent.
fn bars(values: &[(String, u32)], permille_of: Option<u32>) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let top = permille_of.unwrap_or_else(|| {
            let m = values.iter().map(|v| v.1).max().unwrap_or(0).max(4);
            m + m / 8 + 1
        });
        let n = u32::try_from(values.len()).unwrap_or(0).max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(48)
            .build_cartesian_2d((0u32..n).into_segmented(), 0u32..top)
            .map_err(err)?;
        let x_label = |x: &SegmentValue<u32>| match x {
            SegmentValue::CenterOf(i) => values
                .get(*i as usize)
                .map(|v| v.0.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        let y_label = |y: &u32| match permille_of {
            Some(_) => format!("{}%", y / 10),
            None => y.to_string(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(values.len().max(1))
            .y_labels(5)
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .label_style((FONT, 16))
            .light_line_style(WHITE)
            .draw()
            .map_err(err)?;
        chart
            .draw_series(
                Histogram::vertical(&chart)
                    .style(BLUE.filled())
                    .margin(16)
                    .data(values.iter().enumerate().map(|(i, v)| (i as u32, v.1))),
            )
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}
