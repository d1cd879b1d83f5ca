//! Demo data for `cargo xtask demo`: households of a fictional sub-district, one
//! account per staff role, and a few household codes to try.

use linli_core::config::MealsConfig;
use linli_core::meals::{Dish, Fulfilment, Menu, Tag};
use linli_core::Role;

use crate::meals::{today, MenuError, NewElder};
use crate::store::{Actor, NewAccount, Store, StoreError};

/// The password of every demo account (printed by the demo; never for real use:
/// `serve` refuses to run while an account has it, unless started with `--demo`).
pub const DEMO_PASSWORD: &str = "linli-demo";

/// What the demo prints for its user.
pub struct DemoSeed {
    /// (username, role) of each staff account.
    pub accounts: Vec<(&'static str, Role)>,
    /// (unit label, household code) to try on a phone.
    pub codes: Vec<(String, String)>,
    /// What to try in the meals scenario, line by line (empty without meals).
    pub meals: Vec<String>,
    /// What to try in the voting scenario, line by line.
    pub voting: Vec<String>,
    /// What to try in the feedback scenario, line by line (empty without feedback).
    pub feedback: Vec<String>,
    /// What to look at in public evaluation, line by line.
    pub evaluation: Vec<String>,
    /// What to try with forms, line by line.
    pub forms: Vec<String>,
}

/// Seeds an empty database; refuses one that already has households.
pub async fn seed(
    store: &Store,
    now: i64,
    meals: Option<&MealsConfig>,
    feedback: Option<&linli_core::config::FeedbackConfig>,
) -> Result<DemoSeed, StoreError> {
    if !store.units(now).await?.is_empty() {
        return Err(StoreError::Exists(
            "data in the database (demo seeding needs an empty one)",
        ));
    }
    let offset = meals.map_or(linli_core::date::CHINA_OFFSET_MINUTES, |m| {
        m.utc_offset_minutes
    });
    let system = Actor::system();
    let accounts = vec![
        ("admin", Role::Admin),
        ("wang", Role::Staff),
        ("chef", Role::Kitchen),
        ("org", Role::Organisation),
        ("audit", Role::Auditor),
        ("wuye", Role::Handler),
        ("shizheng", Role::Handler),
    ];
    // The demo password is on the common-password list: demo accounts are the one
    // place it is set, bypassing the policy, and `serve` refuses it without --demo.
    let hash = crate::auth::hash_now(DEMO_PASSWORD)?;
    for (name, role) in &accounts {
        let new = NewAccount {
            username: name,
            password_hash: &hash,
            role: *role,
        };
        store.add_account(&new, &system, now).await?;
    }
    let mut units = Vec::new();
    for building in 1..=3 {
        for floor in 1..=2 {
            for door in 1..=2 {
                let label = format!("{building}幢{floor}0{door}");
                units.push((
                    store
                        .add_unit(&label, &format!("{building}幢"), &system, now)
                        .await?,
                    label,
                ));
            }
        }
    }
    let mut codes = Vec::new();
    for (id, label) in units.iter().take(4) {
        codes.push((label.clone(), store.issue_code(*id, &system, now).await?));
    }
    let meals = match meals {
        Some(config) => seed_meals(store, now, config, &units).await?,
        None => Vec::new(),
    };
    let voting = seed_voting(store, now, &units).await?;
    let feedback = match feedback {
        Some(config) => crate::feedback::demo::seed(store, now, config, &units).await?,
        None => Vec::new(),
    };
    let evaluation =
        crate::evaluation::demo::seed(store, now, offset, units.first().map(|u| u.0)).await?;
    let forms = crate::forms::demo::seed(store, now).await?;
    Ok(DemoSeed {
        evaluation,
        forms,
        accounts,
        codes,
        meals,
        voting,
        feedback,
    })
}

/// Owners on the demo roster, by household: the owner of 1幢101 also owns 1幢102 (one
/// owner, areas added), and two units of 3幢 are still the developer's.
const OWNERS: [&str; 12] = [
    "张桂英",
    "张桂英",
    "李德福",
    "王秀兰",
    "赵建国",
    "孙丽华",
    "周志强",
    "吴美玲",
    "郑海涛",
    "陈淑珍",
    "刘振华",
    "黄晓燕",
];

/// A vote on hiring a new property manager (art. 278(1) item 4), in deliberation, with
/// the estate's roster (the demo households and two developer-held units), an owner's
/// question and the committee's reply: a new user opens voting, votes from a phone,
/// enters a paper ballot, closes, publishes and checks the result with `vote tally`.
async fn seed_voting(
    store: &Store,
    now: i64,
    units: &[(i64, String)],
) -> Result<Vec<String>, StoreError> {
    use linli_core::voting::{Matter, Stage, Unit};
    let system = Actor::system();
    let mut roster: Vec<Unit> = units
        .iter()
        .zip(OWNERS)
        .enumerate()
        .map(|(i, ((_, label), owner))| Unit {
            unit: label.clone(),
            owner: owner.to_owned(),
            // 85.20 m² to 129.75 m², varied like a real estate.
            area: 8_520 + (i as u64 * 4_105) % 4_455,
            developer_held: false,
        })
        .collect();
    for label in ["3幢301", "3幢302"] {
        roster.push(Unit {
            unit: label.into(),
            owner: String::new(),
            area: 14_300,
            developer_held: true,
        });
    }
    let vote = crate::voting::NewVote {
        title: "选聘新的物业服务企业".into(),
        body: "现物业服务合同将于明年3月31日到期。业主委员会经公开招标，拟选聘“安居物业服务有限公司”，物业费标准不变（每月每平方米1.80元），合同期三年。\n\n附件：招标结果公示、服务标准和报价（文字版）。\n安居物业承诺：24小时门岗；电梯故障30分钟内到场；每月公示维修资金使用情况。".into(),
        matter: Matter::PropertyManager,
        secret: false,
        changes_allowed: true,
        silent_follow: false,
        grace_ms: linli_core::voting::DEFAULT_GRACE_MS,
    };
    let id = store.create_vote(&vote, &system, now).await?;
    let err = |e: crate::voting::VoteError| match e {
        crate::voting::VoteError::Store(e) => e,
        other => StoreError::Io(format!("demo vote: {other:?}")),
    };
    store
        .import_roster(id, &roster, &system, now)
        .await
        .map_err(err)?;
    store
        .advance_vote(id, Stage::Deliberation, None, &system, now)
        .await
        .map_err(err)?;
    if let Some((unit, label)) = units.get(2) {
        store
            .write_tx(async |tx| {
                let building = crate::voting::store::building_of(label);
                let question = "新物业的保洁人员会增加吗？现在垃圾清运不及时。";
                let c = crate::voting::store::add_comment(
                    tx,
                    id,
                    (Some(*unit), None),
                    &building,
                    question,
                    None,
                    now,
                )
                .await?;
                crate::voting::store::add_comment(
                    tx,
                    id,
                    (None, Some("wang")),
                    "",
                    "会的：保洁由4人增加到6人，垃圾每天清运两次，写进了合同。",
                    Some(c),
                    now,
                )
                .await?;
                Ok::<_, StoreError>(())
            })
            .await?;
    }
    Ok(vec![
        format!("A vote in deliberation: /staff/voting/{id} (sign in as wang); open voting there with a window"),
        "Residents see it under 业主议事表决 with an owner's question and the committee's reply".into(),
        "After the close and publication, export roster.csv and ballots.csv and run: linli-server vote tally --roster roster.csv --ballots ballots.csv --matter 4".into(),
    ])
}

/// A dish for the demo menus: (id, name, price in fen, tags, allergens, limit).
type DemoDish = (
    &'static str,
    &'static str,
    u32,
    &'static [Tag],
    &'static [&'static str],
    Option<u32>,
);

const DISHES: &[DemoDish] = &[
    (
        "fish",
        "清蒸鲈鱼",
        1500,
        &[Tag::LowSalt, Tag::Soft],
        &["鱼"],
        Some(30),
    ),
    (
        "egg",
        "番茄炒蛋",
        800,
        &[Tag::Soft, Tag::Vegetarian],
        &["鸡蛋"],
        None,
    ),
    ("pork", "红烧肉", 1200, &[], &[], Some(40)),
    (
        "greens",
        "香菇青菜",
        600,
        &[Tag::LowSalt, Tag::LowSugar, Tag::Vegetarian],
        &[],
        None,
    ),
    (
        "congee",
        "南瓜小米粥",
        300,
        &[Tag::Soft, Tag::LowSalt, Tag::Vegetarian],
        &[],
        None,
    ),
    ("chicken", "宫保鸡丁", 1200, &[], &["花生"], Some(30)),
    (
        "beef",
        "清炖牛肉",
        1600,
        &[Tag::Halal, Tag::Soft, Tag::LowSalt],
        &[],
        Some(20),
    ),
    ("tofu", "肉末豆腐", 900, &[Tag::Soft], &["大豆"], None),
];

/// Elders, one helper household, and menus from today for the ordering window.
async fn seed_meals(
    store: &Store,
    now: i64,
    config: &MealsConfig,
    units: &[(i64, String)],
) -> Result<Vec<String>, StoreError> {
    let system = Actor::system();
    let tier = |i: usize| config.tiers[i.min(config.tiers.len() - 1)].tier.id.clone();
    let elders = [
        (
            0,
            "张桂英",
            "A线",
            tier(2),
            vec![Tag::Soft],
            vec!["花生".to_owned()],
        ),
        (1, "李德福", "A线", tier(1), vec![], vec![]),
        (5, "王秀兰", "B线", tier(3), vec![Tag::Halal], vec![]),
        (8, "陈建国", "C线", tier(0), vec![], vec!["海鲜".to_owned()]),
    ];
    for (unit, name, route, tier, needs, allergies) in elders {
        let Some((unit_id, _)) = units.get(unit) else {
            continue;
        };
        let elder = NewElder {
            unit_id: *unit_id,
            name: name.into(),
            address: String::new(),
            route: route.into(),
            tier,
            fulfilment: Fulfilment::Delivery,
            needs,
            allergies,
            consent: true,
            consent_note: "demo".into(),
        };
        store.add_elder(&elder, &system, now).await?;
    }
    // 1幢201 is the household of 张桂英's daughter: she orders for her mother.
    let (Some((mother, mother_label)), Some((daughter, daughter_label))) =
        (units.first(), units.get(2))
    else {
        return Ok(Vec::new());
    };
    store.link_proxy(*mother, *daughter, &system, now).await?;
    let first = today(now, config.utc_offset_minutes);
    for day in 0..=i64::from(config.days_ahead) {
        let Some(date) = first.add_days(day) else {
            continue;
        };
        for (s, slot) in config.slots.iter().enumerate() {
            // A different five dishes each meal, from the list above.
            let start = (day as usize * 3 + s * 4) % DISHES.len();
            let dishes = (0..5)
                .map(|k| DISHES[(start + k) % DISHES.len()])
                .map(|(id, name, price, tags, allergens, limit)| {
                    Dish::new(id, name, price, tags, allergens, limit)
                })
                .collect();
            let menu = Menu {
                date,
                slot: slot.slot.id.clone(),
                dishes,
            };
            store
                .put_menu(&menu, &system, now)
                .await
                .map_err(|e| match e {
                    MenuError::Store(e) => e,
                    other => StoreError::corrupt("demo menu", other),
                })?;
        }
    }
    Ok(vec![
        format!(
            "{mother_label}: 张桂英 (80+, soft food, allergic to peanuts) and {}: 李德福",
            units.get(1).map_or("", |u| u.1.as_str())
        ),
        format!(
            "{daughter_label}: her daughter's household, linked to order for 张桂英 as a helper"
        ),
        format!(
            "menus from {first} for {} days; the kitchen's pages are at /staff/meals (chef)",
            config.days_ahead + 1
        ),
    ])
}
