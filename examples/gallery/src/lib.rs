//! The linli widgets gallery: every public widget mounted alone with fixture data, as
//! another Yew app would mount it, with a language switch (中文 / English) and a mode
//! switch (normal / 长辈版). Its page (`index.html`) inlines only the stylesheets the
//! widgets' READMEs list: the global tokens, `base.css` and each widget's own, never
//! the shell's. `cargo xtask gallery` serves it; the browser tier mounts [`Gallery`].

use std::rc::Rc;

use linli_core::config::{self, MealsConfig};
use linli_core::meals::{
    Board, BoardElder, BoardMenu, BoardOrder, Dish, Elder, Fulfilment, Line, MealOrder, Menu,
    Price, Status, Tag,
};
use linli_core::sync::wire::SubmissionId;
use linli_core::voting::{
    BallotPayload, BoardComment, BoardVote, Choice as VoteChoice, CommentPayload, ListedBallot,
    MyBallot, Stage, Turnout, VoteResult, VotingBoard,
};
use linli_core::Lang;
use linli_widgets::base::{
    described_by, Button, Choice, ChoiceGroup, CloseAt, Dialog, Field, Notice, NoticeKind,
    ReadAloud, Stepper, Switch,
};
use linli_widgets::evaluation::{Rating, RatingPrompt};
use linli_widgets::feedback::Feedback;
use linli_widgets::meals::{MealOrdering, Refused};
use linli_widgets::voting::Voting;
use yew::prelude::*;

/// The qingshan example's meals section: slots, cut-offs and tiers as deployed (read
/// by the browser's JSON parser through the widgets' interop bridge, as an app would).
pub fn meals_config() -> Option<MealsConfig> {
    let value = linli_widgets::interop::parse(include_str!("../../qingshan/config.json"));
    config::from_value(&value).ok()?.meals
}

/// A household's board around `now` (ms): one elder ordered for as a helper, today's
/// and the next two days' lunch and dinner, a dish nearly sold out, one that does not
/// suit her, and a delivered order from last week.
pub fn board(now: f64) -> Option<Board> {
    let today = linli_core::date::date_at(now as i64, 480)?;
    let dishes = vec![
        Dish::new("fish", "清蒸鲈鱼", 1500, &[Tag::Soft], &["鱼"], Some(30)),
        Dish::new(
            "congee",
            "南瓜小米粥",
            300,
            &[Tag::Soft, Tag::LowSugar],
            &[],
            None,
        ),
        Dish::new("tofu", "肉末豆腐", 900, &[Tag::Soft], &["大豆"], Some(3)),
    ];
    let mut menus = Vec::new();
    for days in 0..3 {
        let date = today.add_days(days)?;
        for slot in ["lunch", "dinner"] {
            menus.push(BoardMenu {
                menu: Menu {
                    date,
                    slot: slot.into(),
                    dishes: dishes.clone(),
                },
                ordered: vec![("tofu".into(), 2)],
            });
        }
    }
    let last_week = MealOrder {
        elder: "e1".into(),
        date: today.add_days(-7)?,
        slot: "lunch".into(),
        lines: vec![Line {
            dish: "congee".into(),
            qty: 2,
        }],
        fulfilment: Fulfilment::Delivery,
        note: String::new(),
        placed_by: 7,
        confirmed_conflicts: false,
    };
    Some(Board {
        elders: vec![BoardElder {
            elder: Elder {
                id: "e1".into(),
                unit_id: 7,
                tier: "80plus".into(),
                needs: vec![Tag::Soft],
                allergies: vec!["鱼".into()],
                fulfilment: Fulfilment::Delivery,
            },
            name: "张桂英".into(),
            address: "1幢*****1".into(),
            own: true,
            consent: false,
        }],
        menus,
        orders: vec![BoardOrder {
            id: SubmissionId::from_random([3; 16]),
            order: last_week,
            status: Status::Delivered,
            price: Price {
                list: 600,
                subsidy: 300,
                pay: 300,
            },
            placed_by: "1幢101".into(),
        }],
        now: now as i64,
    })
}

/// Sets or clears 长辈版 on `<html>`, as the shell does.
fn set_elder(on: bool) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = if on {
            root.set_attribute("data-elder", "true")
        } else {
            root.remove_attribute("data-elder")
        };
    }
}

/// A host for the ordering widget as an app would write it: it "stores" an order at
/// once (a real host puts it in its outbox first) and keeps refusals it is given.
#[derive(Properties, PartialEq)]
struct MealsHostProps {
    lang: Lang,
}

#[function_component]
fn MealsHost(p: &MealsHostProps) -> Html {
    let now = *use_state(js_sys::Date::now);
    let board = use_memo((), move |_| board(now).map(Rc::new));
    let config = use_memo((), |_| meals_config().map(Rc::new));
    let pending = use_state(|| Rc::new(Vec::<MealOrder>::new()));
    let refused = use_state(|| Rc::new(Vec::<Refused>::new()));
    let (Some(board), Some(config)) = ((*board).clone(), (*config).clone()) else {
        return html! { <p>{ "fixture data did not load" }</p> };
    };
    let on_order = {
        let pending = pending.clone();
        Callback::from(move |o: MealOrder| {
            let mut list = (**pending).clone();
            list.push(o);
            pending.set(Rc::new(list));
        })
    };
    let on_dismiss = {
        let refused = refused.clone();
        Callback::from(move |_| refused.set(Rc::new(Vec::new())))
    };
    // The server refusing what was ordered, to see how a refusal reads.
    let refuse = {
        let (pending, refused) = (pending.clone(), refused.clone());
        Callback::from(move |_: MouseEvent| {
            let list = pending
                .iter()
                .map(|o| Refused {
                    id: SubmissionId::from_random([5; 16]),
                    order: o.clone(),
                    reason: "已过订餐截止时间".into(),
                })
                .collect();
            refused.set(Rc::new(list));
            pending.set(Rc::new(Vec::new()));
        })
    };
    html! {
        <>
            <MealOrdering {board} {config} {now} lang={p.lang} pending={(*pending).clone()}
                refused={(*refused).clone()} {on_order} {on_dismiss} />
            <button type="button" class="ll-button" data-testid="gallery-refuse" onclick={refuse}>
                { "模拟服务器退回 / Simulate a refusal" }
            </button>
        </>
    }
}

/// A vote in its voting window as a household sees it: on the roster, with turnout,
/// an owner's question and the committee's reply; and a published one with its
/// explanation and list, the household's ballot in it.
fn voting_board(now: i64) -> VotingBoard {
    let vote = |id: i64, stage: Stage| BoardVote {
        id,
        title: "选聘新的物业服务企业".into(),
        body: "拟选聘“安居物业服务有限公司”，物业费标准不变，合同期三年。".into(),
        matter: 4,
        stage,
        opens_at: now - 3_600_000,
        closes_at: now + 86_400_000,
        grace_ms: 900_000,
        secret: false,
        changes_allowed: true,
        eligible: true,
        unit: "1幢101".into(),
        turnout: Turnout {
            owners: 7,
            of_owners: 12,
            area: 71_300,
            of_area: 118_200,
        },
        ballot: None,
        comments: vec![
            BoardComment {
                id: 1,
                author: "2幢".into(),
                text: "保洁人员会增加吗？".into(),
                at: now - 7_200_000,
                reply_to: None,
                staff: false,
                mine: false,
            },
            BoardComment {
                id: 2,
                author: String::new(),
                text: "会的：由4人增加到6人。".into(),
                at: now - 3_600_000,
                reply_to: Some(1),
                staff: true,
                mine: false,
            },
        ],
        result: None,
    };
    let mut published = vote(2, Stage::Published);
    published.title = "使用维修资金更换1幢电梯".into();
    published.matter = 5;
    published.ballot = Some(MyBallot {
        unit: "1幢101".into(),
        choice: VoteChoice::Agree,
        receipt: "K7M2XQ9PRT".into(),
        source: "online".into(),
        made_at: now - 9_000_000,
        received_at: now - 9_000_000,
        late: false,
    });
    published.result = Some(VoteResult {
        quorum: true,
        passed: true,
        explanation_zh: "参与表决专有部分面积 71.30% ≥ 66.67% ✓，人数 75.00% ≥ 66.67% ✓；同意的业主占参与表决专有部分面积 80.12% > 50.00% ✓，占参与表决人数 77.78% > 50.00% ✓。表决通过。".into(),
        explanation_en: "Participating exclusive area 71.30% ≥ 66.67% ✓, owners 75.00% ≥ 66.67% ✓; agreeing owners hold 80.12% > 50.00% ✓ of the participating area and are 77.78% > 50.00% ✓ of the participating owners. Passed.".into(),
        late: 1,
        ballots: vec![ListedBallot { unit: "1幢101".into(), receipt: String::new(), choice: VoteChoice::Agree }, ListedBallot { unit: "2幢201".into(), receipt: String::new(), choice: VoteChoice::Oppose }],
    });
    VotingBoard {
        votes: vec![vote(1, Stage::Voting), published],
        now,
    }
}

/// A host for the voting widget: it "keeps" a ballot or comment at once (a real host
/// puts it in its outbox first) and shows it waiting.
#[derive(Properties, PartialEq)]
struct VotingHostProps {
    lang: Lang,
}

#[function_component]
fn VotingHost(p: &VotingHostProps) -> Html {
    let now = *use_state(|| js_sys::Date::now() as i64);
    let board = use_memo((), move |_| voting_board(now));
    let waiting = use_state(|| Rc::new(Vec::<BallotPayload>::new()));
    let commenting = use_state(|| Rc::new(Vec::<CommentPayload>::new()));
    let on_ballot = {
        let waiting = waiting.clone();
        Callback::from(move |b: BallotPayload| waiting.set(Rc::new(vec![b])))
    };
    let on_comment = {
        let commenting = commenting.clone();
        Callback::from(move |c: CommentPayload| {
            let mut list = (**commenting).clone();
            list.push(c);
            commenting.set(Rc::new(list));
        })
    };
    html! {
        <Voting board={board} {now} lang={p.lang} waiting={(*waiting).clone()}
            commenting={(*commenting).clone()} {on_ballot} {on_comment} />
    }
}

/// The qingshan example's feedback section: categories, places and handlers.
pub fn feedback_config() -> Option<config::FeedbackConfig> {
    let value = linli_widgets::interop::parse(include_str!("../../qingshan/config.json"));
    config::from_value(&value).ok()?.feedback
}

/// A household's reports around `now`: one answered and closed (to rate), one with a
/// handler and past its limit, with their timelines.
pub fn feedback_board(now: i64) -> linli_core::feedback::FeedbackBoard {
    use linli_core::feedback::{FeedbackBoard, MyCase, State, TimelineStep};
    let day = 86_400_000;
    let step = |action: &str, state: State, at: i64, by: &str, note: &str| TimelineStep {
        action: action.into(),
        state,
        at,
        by: by.into(),
        note: note.into(),
    };
    let id = |n: u8| SubmissionId::from_random([n; 16]);
    FeedbackBoard {
        cases: vec![
            MyCase {
                report: id(1),
                number: 41,
                category: "lighting".into(),
                description: "3幢门口的路灯不亮了，晚上倒垃圾看不见路".into(),
                place: "3幢".into(),
                state: State::Closed,
                created_at: now - 3 * day,
                overdue: false,
                reply: "已更换灯泡并检查线路，路灯恢复照明。".into(),
                rating: None,
                photos: 1,
                reopened: 0,
                steps: vec![
                    step("report", State::Submitted, now - 3 * day, "您", ""),
                    step(
                        "dispatch",
                        State::Dispatched,
                        now - 3 * day + 3_600_000,
                        "街道工作人员",
                        "市政设施管理所",
                    ),
                    step(
                        "accept",
                        State::InProgress,
                        now - 2 * day,
                        "市政设施管理所",
                        "",
                    ),
                    step(
                        "reply",
                        State::Replied,
                        now - day,
                        "市政设施管理所",
                        "已更换灯泡并检查线路，路灯恢复照明。",
                    ),
                    step(
                        "close",
                        State::Closed,
                        now - day + 3_600_000,
                        "街道工作人员",
                        "",
                    ),
                ],
            },
            MyCase {
                report: id(2),
                number: 38,
                category: "property".into(),
                description: "2幢电梯经常停在半路".into(),
                place: "2幢".into(),
                state: State::Dispatched,
                created_at: now - 6 * day,
                overdue: true,
                reply: String::new(),
                rating: None,
                photos: 0,
                reopened: 0,
                steps: vec![
                    step("report", State::Submitted, now - 6 * day, "您", ""),
                    step(
                        "dispatch",
                        State::Dispatched,
                        now - 6 * day + 3_600_000,
                        "街道工作人员",
                        "物业服务中心",
                    ),
                ],
            },
        ],
    }
}

/// A host for the feedback widget: it "keeps" a report, rating or reopening at once
/// (a real host puts it in its outbox first) and shows it waiting.
#[derive(Properties, PartialEq)]
struct FeedbackHostProps {
    lang: Lang,
}

#[function_component]
fn FeedbackHost(p: &FeedbackHostProps) -> Html {
    use linli_core::feedback::{RatePayload, ReopenPayload, ReportPayload};
    let now = *use_state(|| js_sys::Date::now() as i64);
    let board = use_memo((), move |_| feedback_board(now));
    let config = use_memo((), |_| feedback_config());
    let waiting = use_state(|| Rc::new(Vec::<ReportPayload>::new()));
    let stepping = use_state(|| Rc::new(Vec::<SubmissionId>::new()));
    // How many it has "kept": the widget clears a form once its submission is kept.
    let kept = use_state(|| 0_u32);
    let on_report = {
        let (waiting, kept) = (waiting.clone(), kept.clone());
        Callback::from(move |r: ReportPayload| {
            let mut list = (**waiting).clone();
            list.push(r);
            waiting.set(Rc::new(list));
            kept.set(*kept + 1);
        })
    };
    let step = |report: SubmissionId,
                stepping: &UseStateHandle<Rc<Vec<SubmissionId>>>,
                kept: &UseStateHandle<u32>| {
        let mut list = (***stepping).clone();
        list.push(report);
        stepping.set(Rc::new(list));
        kept.set(**kept + 1);
    };
    let on_rate = {
        let (stepping, kept) = (stepping.clone(), kept.clone());
        Callback::from(move |r: RatePayload| step(r.report, &stepping, &kept))
    };
    let on_reopen = {
        let (stepping, kept) = (stepping.clone(), kept.clone());
        Callback::from(move |r: ReopenPayload| step(r.report, &stepping, &kept))
    };
    let Some(config) = (*config).clone() else {
        return Html::default();
    };
    html! {
        <Feedback board={board} config={Rc::new(config)} lang={p.lang}
            waiting={(*waiting).clone()} stepping={(*stepping).clone()} kept={*kept}
            {on_report} {on_rate} {on_reopen} />
    }
}

/// A host for the rating prompt as an app would write it after a completed action: it
/// "keeps" a rating a moment later (a real host writes it to its outbox first), or
/// fails to when asked to, and shows what the prompt emitted. 以后再说 hides the prompt
/// until "ask again".
#[derive(Properties, PartialEq)]
struct EvaluationHostProps {
    lang: Lang,
}

#[function_component]
fn EvaluationHost(p: &EvaluationHostProps) -> Html {
    use linli_core::evaluation::Service;
    let saved = use_state(|| None::<Result<(), AttrValue>>);
    let fail = use_state(|| false);
    let last = use_state(|| None::<Rating>);
    // Which prompt is shown (a new one after "ask again"), and whether it was dismissed.
    let round = use_state(|| 0_u32);
    let dismissed = use_state(|| false);
    let on_rate = {
        let (saved, fail, last) = (saved.clone(), *fail, last.clone());
        Callback::from(move |r: Rating| {
            last.set(Some(r));
            saved.set(None);
            let saved = saved.clone();
            yew::platform::spawn_local(async move {
                yew::platform::time::sleep(std::time::Duration::from_millis(600)).await;
                saved.set(Some(if fail {
                    Err("手机存储空间不足".into())
                } else {
                    Ok(())
                }));
            });
        })
    };
    let on_dismiss = {
        let dismissed = dismissed.clone();
        Callback::from(move |()| dismissed.set(true))
    };
    let again = {
        let (round, dismissed, saved) = (round.clone(), dismissed.clone(), saved.clone());
        Callback::from(move |_: MouseEvent| {
            saved.set(None);
            dismissed.set(false);
            round.set(*round + 1);
        })
    };
    let toggle_fail = {
        let fail = fail.clone();
        Callback::from(move |_: MouseEvent| fail.set(!*fail))
    };
    let emitted = match &*last {
        Some(r) => format!(
            "on_rate: score {} · {:?} · contact {}",
            r.score.get(),
            r.comment,
            r.contact
        ),
        None => "on_rate: —".to_owned(),
    };
    html! {
        <>
            <p>{ "已订好：明天午餐 南瓜小米粥 ×2" }</p>
            if *dismissed {
                <p class="ll-muted" role="status">{ "on_dismiss()" }</p>
            } else {
                <RatingPrompt key={*round} service={Service::Meals} lang={p.lang}
                    saved={(*saved).clone()} {on_rate} {on_dismiss} />
            }
            <p class="ll-muted">{ emitted }</p>
            <button type="button" class="ll-button" data-testid="gallery-eval-again" onclick={again}>
                { "再问一次 / Ask again" }
            </button>{ " " }
            <button type="button" class="ll-button" data-testid="gallery-eval-fail"
                aria-pressed={if *fail { "true" } else { "false" }} onclick={toggle_fail}>
                { "模拟保存失败 / Simulate a failed save" }
            </button>
        </>
    }
}

/// A host for the form renderer as an app would write it: it keeps the answers (its
/// "draft"), and shows what 提交 emitted. The form has a skip rule, a constraint, a
/// group and a repeat.
#[derive(Properties, PartialEq)]
struct FormsHostProps {
    lang: Lang,
    elder: bool,
}

fn gallery_form() -> Rc<linli_core::forms::form::Form> {
    use linli_core::forms::form::{Choice, Field, Form, Limit, Text, Type};
    let mut pet = Field::new("pet_name", Type::Text, "宠物叫什么");
    pet.relevant = Some("${has_pet} = 'yes'".into());
    let mut age = Field::new("age", Type::Integer, "您的年龄");
    age.required = true;
    age.constraint = Some(". >= 18".into());
    age.constraint_message = Some(Text {
        zh: "请填 18 岁以上的年龄".into(),
        en: "Enter an age of 18 or over".into(),
    });
    let mut needs = Field::new("needs", Type::SelectMultiple, "需要哪些服务");
    needs.choices = ["助餐", "上门探访", "陪同就医"]
        .iter()
        .enumerate()
        .map(|(i, l)| Choice {
            name: format!("s{i}"),
            label: Text::zh(l),
        })
        .collect();
    needs.max = Some(Limit::Number(2.0));
    let mut home = Field::new("home", Type::Group, "住户");
    home.fields = vec![Field::new("has_pet", Type::YesNo, "家里养宠物吗"), pet, age];
    let mut members = Field::new("members", Type::Repeat, "同住的家人");
    members.fields = vec![
        Field::new("member_name", Type::Text, "称呼"),
        Field::new("member_born", Type::Date, "出生日期"),
    ];
    Rc::new(Form {
        id: "gallery".into(),
        version: "1".into(),
        title: Text {
            zh: "长者需求调查".into(),
            en: "Elders' needs".into(),
        },
        description: Some(Text::zh("用于安排助餐和探访")),
        fields: vec![
            home,
            needs,
            members,
            Field::new("mood", Type::Rating, "今天心情如何"),
        ],
    })
}

#[function_component]
fn FormsHost(p: &FormsHostProps) -> Html {
    use linli_core::forms::answers::Answers;
    use linli_widgets::forms::FormView;
    let answers = use_state(|| Rc::new(Answers::default()));
    let emitted = use_state(|| None::<String>);
    let on_change = {
        let answers = answers.clone();
        Callback::from(move |a: Answers| answers.set(Rc::new(a)))
    };
    let on_submit = {
        let emitted = emitted.clone();
        Callback::from(move |a: Answers| {
            emitted.set(Some(format!("on_submit: {} answers", a.0.len())))
        })
    };
    html! {
        <>
            <FormView form={gallery_form()} answers={(*answers).clone()} lang={p.lang} elder={p.elder}
                today="2026-12-01" {on_change} {on_submit} />
            <p class="ll-muted">{ (*emitted).clone().unwrap_or_else(|| "on_submit: —".to_owned()) }</p>
        </>
    }
}

/// The builder with a host keeping the definition (as the console's designer page
/// does, without saving), starting from the renderer's own form.
#[function_component]
fn BuilderHost(p: &FormsHostProps) -> Html {
    use linli_core::forms::form::Form;
    use linli_widgets::forms::builder::FormBuilder;
    let form = use_state(gallery_form);
    let changes = use_state(|| 0u32);
    let on_change = {
        let (form, changes) = (form.clone(), changes.clone());
        Callback::from(move |f: Form| {
            changes.set(*changes + 1);
            form.set(Rc::new(f));
        })
    };
    html! {
        <>
            <FormBuilder form={(*form).clone()} lang={p.lang} today="2026-12-01" {on_change} />
            <p class="ll-muted">{ format!("on_change: {}", *changes) }</p>
        </>
    }
}

/// A stepper and a choice group with a host keeping their values, and the last
/// over-limit event shown.
#[function_component]
fn BaseHost() -> Html {
    let portions = use_state(|| 1u32);
    let limit = use_state(|| None::<u32>);
    let meal = use_state(|| Some(1_usize));
    let on_change = {
        let (portions, limit) = (portions.clone(), limit.clone());
        Callback::from(move |n| {
            portions.set(n);
            limit.set(None);
        })
    };
    let on_over_limit = {
        let limit = limit.clone();
        Callback::from(move |max| limit.set(Some(max)))
    };
    let options = Rc::new(vec![
        Choice {
            arg: "breakfast".into(),
            label: "早餐".into(),
            hint: None,
            lang: None,
        },
        Choice {
            arg: "lunch".into(),
            label: "午餐".into(),
            hint: Some("09:30 前可订".into()),
            lang: None,
        },
        Choice {
            arg: "dinner".into(),
            label: "晚餐".into(),
            hint: Some("15:00 前可订".into()),
            lang: None,
        },
    ]);
    let on_select = {
        let meal = meal.clone();
        Callback::from(move |v| meal.set(Some(v)))
    };
    html! {
        <>
            <section class="gallery__widget" data-widget="stepper">
                <h2>{ "base::Stepper" }</h2>
                <Stepper value={*portions} min={1} max={3} {on_change} {on_over_limit}
                    more_label="多一份" less_label="少一份" />
                if let Some(max) = *limit {
                    <p class="ll-muted" role="status">{ format!("on_over_limit({max})") }</p>
                }
            </section>
            <section class="gallery__widget" data-widget="choice-group">
                <h2>{ "base::ChoiceGroup" }</h2>
                <ChoiceGroup legend="餐次" {options} selected={*meal} {on_select} one_row=true />
            </section>
            <MoreHost />
        </>
    }
}

/// Button, Notice, Field and Dialog, with a host that opens the dialog and checks
/// the field.
#[function_component]
fn MoreHost() -> Html {
    let open = use_state(|| None::<CloseAt>);
    let error = use_state(|| None::<AttrValue>);
    let opener = |at: CloseAt, label: &'static str| {
        let open = open.clone();
        let onclick = Callback::from(move |_: MouseEvent| open.set(Some(at)));
        html! { <Button {onclick}>{ label }</Button> }
    };
    let on_close = {
        let open = open.clone();
        Callback::from(move |_| open.set(None))
    };
    let check = {
        let error = error.clone();
        Callback::from(move |_: MouseEvent| error.set(Some("户码是 8 位字母和数字".into())))
    };
    html! {
        <>
            <section class="gallery__widget" data-widget="button">
                <h2>{ "base::Button" }</h2>
                <Button primary=true>{ "确认订餐" }</Button>{ " " }<Button disabled=true>{ "不可用" }</Button>
            </section>
            <section class="gallery__widget" data-widget="notice">
                <h2>{ "base::Notice" }</h2>
                <Notice>{ "已订好" }</Notice>
                <Notice kind={NoticeKind::Problem}>{ "订单还没有保存，也没有发出" }</Notice>
            </section>
            <section class="gallery__widget" data-widget="field">
                <h2>{ "base::Field" }</h2>
                <Field id="gallery-code" label="户码" hint="社区发给您的 8 位字母和数字" error={(*error).clone()}>
                    <input id="gallery-code" aria-describedby={described_by("gallery-code")} />
                </Field>
                <Button onclick={check}>{ "检查" }</Button>
            </section>
            <section class="gallery__widget" data-widget="dialog">
                <h2>{ "base::Dialog" }</h2>
                { opener(CloseAt::TopLeft, "关闭在左上") }{ " " }
                { opener(CloseAt::TopRight, "关闭在右上") }{ " " }
                { opener(CloseAt::BottomCentre, "关闭在下方") }
                <Dialog open={open.is_some()} title="取消这份订单？" close_label="关闭" {on_close}
                    close_at={(*open).unwrap_or_default()}>
                    <p>{ "取消后，截止时间前还可以重新订。" }</p>
                </Dialog>
            </section>
        </>
    }
}

/// The gallery: every widget, one section each (`data-widget`), with switches for the
/// language and 长辈版.
#[function_component]
pub fn Gallery() -> Html {
    let lang = use_state(|| Lang::ZhCn);
    let elder = use_state(|| false);
    {
        let on = *elder;
        use_effect_with(on, |on| set_elder(*on));
    }
    let on_elder = {
        let elder = elder.clone();
        Callback::from(move |on| elder.set(on))
    };
    let current = *lang;
    let languages = Lang::ALL.into_iter().map(|l| {
        let lang = lang.clone();
        let onclick = Callback::from(move |_: MouseEvent| lang.set(l));
        html! {
            <button type="button" class="ll-pill" aria-pressed={if current == l { "true" } else { "false" }}
                data-lang={l.code()} {onclick}>{ l.endonym() }</button>
        }
    });
    let section = |name: &'static str, title: &'static str, body: Html| {
        html! {
            <section class="gallery__widget" data-widget={name}>
                <h2>{ title }</h2>
                { body }
            </section>
        }
    };
    let l = *lang;
    html! {
        <main class="gallery" lang={l.code()}>
            <div class="gallery__bar">{ for languages }</div>
            { section("switch", "base::Switch", html! {
                <Switch label={l.t(linli_core::Text::ElderMode)} hint={AttrValue::from(l.t(linli_core::Text::ElderModeHint))}
                    checked={*elder} on_change={on_elder} lang={l} />
            }) }
            { section("read-aloud", "base::ReadAloud", html! {
                <ReadAloud text={AttrValue::from("周三上午九点到十二点停水，请提前储水。")} lang={l} />
            }) }
            <BaseHost />
            { section("meal-ordering", "meals::MealOrdering", html! { <MealsHost lang={l} /> }) }
            { section("voting", "voting::Voting", html! { <VotingHost lang={l} /> }) }
            { section("feedback", "feedback::Feedback", html! { <FeedbackHost lang={l} /> }) }
            { section("rating-prompt", "evaluation::RatingPrompt", html! { <EvaluationHost lang={l} /> }) }
            { section("form", "forms::FormView", html! { <FormsHost lang={l} elder={*elder} /> }) }
            { section("form-builder", "forms::builder::FormBuilder", html! { <BuilderHost lang={l} elder={*elder} /> }) }
        </main>
    }
}
