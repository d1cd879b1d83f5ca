//! The demo's form: a needs survey the demo's social organisation (`org`) made and
//! published, so a new user finds a form to answer on the phone and its answers page
//! at `/staff/forms` (signed in as `org`).

use linli_core::forms::form::{Choice, Field, Form, Limit, Text, Type};
use linli_core::Role;

use crate::store::{Actor, Store, StoreError};

/// 长者需求调查: a skip rule, a constraint, a group, a repeat and a rating.
pub fn survey() -> Form {
    let choice = |name: &str, zh: &str, en: &str| Choice {
        name: name.into(),
        label: Text {
            zh: zh.into(),
            en: en.into(),
        },
    };
    let text = |zh: &str, en: &str| Text {
        zh: zh.into(),
        en: en.into(),
    };
    let mut age = Field::new("age", Type::Integer, "");
    age.label = text("您的年龄", "Your age");
    age.required = true;
    age.min = Some(Limit::Number(18.0));
    age.max = Some(Limit::Number(120.0));
    let mut alone = Field::new("alone", Type::YesNo, "");
    alone.label = text("是否独居", "Do you live alone?");
    alone.required = true;
    let mut needs = Field::new("needs", Type::SelectMultiple, "");
    needs.label = text("需要哪些服务", "Which services do you need?");
    needs.hint = Some(text("可以多选", "Choose any"));
    needs.choices = vec![
        choice("meal", "助餐", "Meals"),
        choice("visit", "上门探访", "Home visits"),
        choice("clinic", "陪同就医", "Help to the clinic"),
    ];
    let mut visits = Field::new("visits", Type::Integer, "");
    visits.label = text("希望每周探访几次", "Visits a week");
    visits.relevant = Some("selected(${needs}, 'visit')".into());
    visits.constraint = Some(". >= 1 and . <= 7".into());
    visits.constraint_message = Some(text("一周 1 到 7 次", "1 to 7 a week"));
    let mut home = Field::new("home", Type::Group, "");
    home.label = text("基本情况", "About you");
    home.fields = vec![age, alone];
    let mut member = Field::new("member_name", Type::Text, "");
    member.label = text("称呼", "Name");
    let mut members = Field::new("members", Type::Repeat, "");
    members.label = text("同住的家人", "Who lives with you");
    members.relevant = Some("${alone} = 'no'".into());
    members.max = Some(Limit::Number(6.0));
    members.fields = vec![member];
    let mut mood = Field::new("mood", Type::Rating, "");
    mood.label = text(
        "对社区养老服务的满意程度",
        "How satisfied you are with elder care here",
    );
    Form {
        id: "needs_2026".into(),
        version: "0".into(),
        title: text("长者需求调查", "Elders' needs survey"),
        description: Some(text(
            "青山街道社工站用于安排助餐和上门探访，约 2 分钟。",
            "Qingshan's social work station uses it to plan meals and home visits; about 2 minutes.",
        )),
        fields: vec![home, needs, visits, members, mood],
    }
}

/// Adds the survey as made by `org` and publishes it; what the demo prints about it.
pub async fn seed(store: &Store, now: i64) -> Result<Vec<String>, StoreError> {
    let org = Actor::staff("org", Role::Organisation);
    let form = survey();
    let Ok(id) = store.forms_add(&form, &org, now).await? else {
        return Ok(Vec::new());
    };
    store.forms_publish(id, &form, &org, now).await?;
    Ok(vec![
        "on a linked phone, 表单问卷 → 长者需求调查: answer it (offline too; it is kept as you type)".into(),
        format!("sign in as org: /staff/forms/{id} (import an XLSForm, publish, the answers and their CSV)"),
        format!("the designer: /staff/forms/{id}/build (questions, skip rules picked from lists, a live preview; on a desktop or tablet)"),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_survey_is_a_sound_definition() {
        assert_eq!(
            linli_core::forms::definition::check_form(&super::survey()),
            []
        );
    }
}
