//! The resident-facing scenarios a deployment can enable.

use crate::i18n::Text;

/// One scenario of the toolkit, named in `config.json` by its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scenario {
    /// Elderly meal ordering (老年助餐).
    Meals,
    /// Owners' assembly deliberation and voting (业主议事表决).
    Voting,
    /// Resident feedback with the 12345-style closed loop (诉求反馈).
    Feedback,
    /// Forms designed by social organisations (表单问卷).
    Forms,
}

impl Scenario {
    /// Every scenario, in the default order.
    pub const ALL: [Scenario; 4] = [
        Scenario::Meals,
        Scenario::Voting,
        Scenario::Feedback,
        Scenario::Forms,
    ];

    /// The id used in `config.json`.
    pub fn id(self) -> &'static str {
        match self {
            Scenario::Meals => "meals",
            Scenario::Voting => "voting",
            Scenario::Feedback => "feedback",
            Scenario::Forms => "forms",
        }
    }

    /// Looks a scenario up by its config id.
    pub fn from_id(id: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.id() == id)
    }

    /// The one-character sign on its home tile (餐, 议, 诉, 表), like 告 and ☎: a
    /// picture, the same in every language, hidden from screen readers.
    pub fn icon(self) -> &'static str {
        match self {
            Scenario::Meals => "餐",
            Scenario::Voting => "议",
            Scenario::Feedback => "诉",
            Scenario::Forms => "表",
        }
    }

    /// The one line under its name on the home tile.
    pub fn hint(self) -> Text {
        match self {
            Scenario::Meals => Text::ScenarioMealsHint,
            Scenario::Voting => Text::ScenarioVotingHint,
            Scenario::Feedback => Text::ScenarioFeedbackHint,
            Scenario::Forms => Text::ScenarioFormsHint,
        }
    }

    /// The scenario's name as shown on its tile.
    pub fn title(self) -> Text {
        match self {
            Scenario::Meals => Text::ScenarioMeals,
            Scenario::Voting => Text::ScenarioVoting,
            Scenario::Feedback => Text::ScenarioFeedback,
            Scenario::Forms => Text::ScenarioForms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for s in Scenario::ALL {
            assert_eq!(Scenario::from_id(s.id()), Some(s));
        }
        assert_eq!(Scenario::from_id("vot"), None);
    }
}
