//! The demo's feedback: handler accounts for two departments, a few dozen cases closed
//! over the last months through the real loop (each dispatched, answered, closed,
//! called back and rated), which the knowledge base learns from, and open cases to
//! follow around the loop: one waiting for dispatch (with a suggestion), one with a
//! handler, one answered, one overdue.

use linli_core::config::FeedbackConfig;
use linli_core::feedback::{Action, Rating, Who};

use super::store::{insert_case, take_step, FeedbackError, NewCase, StepExtra};
use crate::store::{Actor, Store, StoreError};

/// Past cases: (category, place, what the resident wrote, handler, the answer).
pub const PAST: &[(&str, &str, &str, &str, &str)] = &[
    (
        "lighting",
        "1幢",
        "1幢门口的路灯晚上不亮，老人出门看不清台阶",
        "municipal",
        "已更换灯泡并检查线路，路灯恢复照明。",
    ),
    (
        "lighting",
        "中心广场",
        "中心广场东侧两盏路灯一直闪，晚上跳舞的人多",
        "municipal",
        "镇流器老化，已更换，灯具恢复正常。",
    ),
    (
        "lighting",
        "小区南门",
        "南门外路灯坏了好几天，晚上很黑",
        "municipal",
        "已报修市政，当天更换了灯头。",
    ),
    (
        "lighting",
        "地下车库",
        "地下车库B区的灯不亮，停车不安全",
        "property",
        "车库照明属物业管理，已更换灯管并加装感应灯。",
    ),
    (
        "lighting",
        "2幢",
        "2幢楼道声控灯不亮，晚上上楼摸黑",
        "property",
        "楼道灯属物业维护，已更换声控开关。",
    ),
    (
        "lighting",
        "菜市场路口",
        "菜市场路口路灯杆歪了，灯也不亮",
        "municipal",
        "已扶正灯杆并加固基础，更换光源。",
    ),
    (
        "sanitation",
        "3幢",
        "3幢垃圾桶满了没人清运，味道很大",
        "sanitation",
        "已调整清运时间，每天早晚各清运一次。",
    ),
    (
        "sanitation",
        "菜市场路口",
        "菜市场路口垃圾堆放，污水横流",
        "sanitation",
        "已清理垃圾并冲洗路面，增加保洁频次。",
    ),
    (
        "sanitation",
        "中心广场",
        "广场上狗粪很多，没人打扫",
        "sanitation",
        "已安排保洁清扫，并在广场设置文明养犬提示牌。",
    ),
    (
        "sanitation",
        "小区南门",
        "南门外绿化带里有人乱扔建筑垃圾",
        "sanitation",
        "建筑垃圾已清运，已提醒装修户按规定投放。",
    ),
    (
        "sanitation",
        "1幢",
        "1幢旁边的垃圾分类亭很脏，苍蝇多",
        "sanitation",
        "已清洗分类亭并消杀，保洁员每天两次巡查。",
    ),
    (
        "property",
        "2幢",
        "2幢电梯经常停在半路，老人被困过一次",
        "property",
        "已请维保单位全面检修电梯，更换了门机控制板。",
    ),
    (
        "property",
        "1幢",
        "楼上卫生间漏水，我家天花板在滴水",
        "property",
        "物业上门查明为楼上防水层破损，已协调楼上住户维修。",
    ),
    (
        "property",
        "3幢",
        "3幢单元门禁坏了，陌生人随便进出",
        "property",
        "已更换门禁控制器，门禁恢复正常。",
    ),
    (
        "property",
        "2幢",
        "2幢屋顶水箱漏水，楼道墙面发霉",
        "property",
        "已修补水箱并处理墙面霉斑。",
    ),
    (
        "property",
        "地下车库",
        "地下车库积水，下雨天车开不进去",
        "property",
        "已疏通排水沟并检修集水井水泵。",
    ),
    (
        "property",
        "1幢",
        "1幢电梯按钮失灵，按了没反应",
        "property",
        "维保单位已更换按钮面板。",
    ),
    (
        "noise",
        "中心广场",
        "晚上十点后广场舞音响还很响，影响休息",
        "urban",
        "已与广场舞队沟通，约定21点前结束并降低音量。",
    ),
    (
        "noise",
        "菜市场路口",
        "凌晨有货车在菜市场路口卸货，噪音很大",
        "urban",
        "已约谈商户，卸货调整到早上6点以后。",
    ),
    (
        "noise",
        "2幢",
        "2幢有住户装修周末早上七点就开始电钻",
        "property",
        "物业已告知装修时间规定，周末装修限9点至12点、14点至18点。",
    ),
    (
        "noise",
        "小区南门",
        "南门外烧烤摊晚上喧哗到半夜",
        "urban",
        "城管已劝导摊主按时收摊，并加强夜间巡查。",
    ),
    (
        "parking",
        "小区南门",
        "南门口车辆乱停，消防通道被堵",
        "urban",
        "已对违停车辆贴单并施划禁停标线。",
    ),
    (
        "parking",
        "幼儿园门口",
        "幼儿园门口接送时间车辆乱停，孩子过马路危险",
        "urban",
        "上下学时段安排协管员值守，设置临时停车区。",
    ),
    (
        "parking",
        "地下车库",
        "有人长期占用我家的固定车位",
        "property",
        "物业已联系车主挪车，并加装车位锁。",
    ),
    (
        "parking",
        "菜市场路口",
        "菜市场路口三轮车占道经营堵路",
        "urban",
        "已劝离占道摊点，引导进入市场经营。",
    ),
    (
        "roads",
        "小区南门",
        "南门外人行道地砖松动，老人差点绊倒",
        "municipal",
        "已重新铺设松动地砖。",
    ),
    (
        "roads",
        "菜市场路口",
        "菜市场路口井盖破损，很危险",
        "municipal",
        "已设置警示并更换井盖。",
    ),
    (
        "roads",
        "中心广场",
        "广场台阶边缘破损，轮椅上不去",
        "municipal",
        "已修复台阶并增设无障碍坡道。",
    ),
    (
        "roads",
        "幼儿园门口",
        "幼儿园门口路面有个大坑，下雨积水",
        "municipal",
        "已修补路面坑槽。",
    ),
    (
        "neighbours",
        "3幢",
        "楼上邻居在楼道堆放杂物，协商不成",
        "community",
        "社区调解员上门调解，双方同意清理楼道杂物。",
    ),
    (
        "neighbours",
        "1幢",
        "邻居家狗半夜叫，沟通过没有用",
        "community",
        "社区约双方面谈，狗主人同意夜间将狗关在室内。",
    ),
    (
        "neighbours",
        "2幢",
        "楼下住户在公共绿地种菜，还施粪肥",
        "community",
        "社区协调恢复绿地，并划出共享种植区。",
    ),
    (
        "other",
        "中心广场",
        "希望在广场增加几张休息长椅，老人走累了没地方坐",
        "community",
        "已申请社区微实事项目，新增6张长椅。",
    ),
    (
        "other",
        "1幢",
        "1幢有独居老人几天没出门，担心出事",
        "grid-1",
        "网格员已上门看望，老人身体无碍，已纳入每日探访。",
    ),
    (
        "other",
        "3幢",
        "3幢有群租房，人员进出复杂",
        "grid-2",
        "网格员已登记核查，通知房东整改。",
    ),
    (
        "sanitation",
        "2幢",
        "2幢楼道里有人堆放废旧家具",
        "property",
        "楼道堆物属物业管理，已通知住户清理并由物业清运。",
    ),
];

/// Ratings of the past cases in turn: mostly 满意, some 基本满意, a few 不满意 that were
/// reopened, handled again and then rated.
fn rating_of(i: usize) -> Rating {
    match i % 9 {
        4 => Rating::BasicallySatisfied,
        7 => Rating::BasicallySatisfied,
        _ => Rating::Satisfied,
    }
}

/// A report's submission id, as a phone makes one (the demo's reports came from
/// households' phones).
fn report_id() -> Result<String, StoreError> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).map_err(|e| StoreError::Randomness(e.to_string()))?;
    Ok(linli_core::sync::wire::SubmissionId::from_random(bytes)
        .as_str()
        .to_owned())
}

fn demo_err(e: FeedbackError) -> StoreError {
    match e {
        FeedbackError::Store(e) => e,
        other => StoreError::Io(format!("demo feedback: {other}")),
    }
}

/// A handler account's actor.
fn handler_actor(name: &str) -> Actor {
    Actor {
        name: name.to_owned(),
        role: "handler".into(),
    }
}

/// The handler account of each handler that has one: (handler id, account name).
pub const HANDLER_ACCOUNTS: &[(&str, &str)] = &[("property", "wuye"), ("municipal", "shizheng")];

/// Seeds the demo's feedback; returns what to try, line by line. `units` are the demo
/// households (id, label); the handler accounts of [`HANDLER_ACCOUNTS`] exist.
pub async fn seed(
    store: &Store,
    now: i64,
    config: &FeedbackConfig,
    units: &[(i64, String)],
) -> Result<Vec<String>, StoreError> {
    let system = Actor::system();
    for (handler, name) in HANDLER_ACCOUNTS {
        if config.handler(handler).is_none() {
            continue;
        }
        if let Some((id, _)) = store.account_for_login(name).await? {
            store
                .set_feedback_member(id.id, Some(handler), &system, now)
                .await?;
        }
    }
    let account_of = |h: &str| {
        HANDLER_ACCOUNTS
            .iter()
            .find(|(x, _)| *x == h)
            .map_or_else(|| format!("{h}-worker"), |(_, n)| (*n).to_owned())
    };
    let staff = Actor {
        name: "wang".into(),
        role: "staff".into(),
    };
    let day = 86_400_000;
    let known: Vec<_> = PAST
        .iter()
        .filter(|p| config.category(p.0).is_some() && config.handler(p.3).is_some())
        .collect();
    for (i, (category, place, text, handler, answer)) in known.iter().enumerate() {
        let Some((unit, _)) = units.get(i % units.len().max(1)) else {
            break;
        };
        let at = now - (85 - (i as i64 * 2)) * day;
        let h = handler.to_string();
        let by = handler_actor(&account_of(handler));
        store
            .write_tx(async |tx| {
                let new = NewCase {
                    submission: Some(report_id()?),
                    unit_id: Some(*unit),
                    source: "resident",
                    category: (*category).to_owned(),
                    place: (*place).to_owned(),
                    description: (*text).to_owned(),
                    ..NewCase::default()
                };
                let id = insert_case(tx, &new, &Actor::unit(*unit), at).await?;
                let me = Who::Handler(h.clone());
                let hx = StepExtra {
                    handler: Some(&h),
                    ..StepExtra::default()
                };
                let steps: Vec<(Action, Who, &Actor, StepExtra<'_>, i64)> = vec![
                    (
                        Action::Dispatch { to: h.clone() },
                        Who::Staff,
                        &staff,
                        StepExtra::default(),
                        at + 2 * 3_600_000,
                    ),
                    (
                        Action::Accept,
                        me.clone(),
                        &by,
                        hx.clone(),
                        at + 4 * 3_600_000,
                    ),
                    (
                        Action::Reply,
                        me.clone(),
                        &by,
                        StepExtra {
                            note: answer,
                            ..hx.clone()
                        },
                        at + day,
                    ),
                    (
                        Action::Close,
                        Who::Staff,
                        &staff,
                        StepExtra::default(),
                        at + day + 3_600_000,
                    ),
                    (
                        Action::Visit,
                        Who::Staff,
                        &staff,
                        StepExtra {
                            note: "电话回访，居民确认已解决",
                            ..StepExtra::default()
                        },
                        at + 2 * day,
                    ),
                    (
                        Action::Rate(rating_of(i)),
                        Who::Staff,
                        &staff,
                        StepExtra::default(),
                        at + 2 * day,
                    ),
                ];
                for (action, who, actor, extra, t) in steps {
                    take_step(tx, id, &action, &who, actor, extra, t).await?;
                }
                Ok::<_, FeedbackError>(())
            })
            .await
            .map_err(demo_err)?;
    }
    // Open cases to follow around the loop.
    let mut lines = vec![format!(
        "{} closed reports make the knowledge base; /staff/feedback/situation shows where they cluster and the suggestion's hit rate",
        known.len()
    )];
    let open: [(&str, &str, &str, usize, i64); 4] = [
        (
            "lighting",
            "3幢",
            "3幢门口的路灯又不亮了，晚上倒垃圾看不见路",
            0,
            0,
        ),
        ("property", "2幢", "2幢电梯今天又停了，我住七楼下不去", 1, 1),
        (
            "sanitation",
            "小区南门",
            "南门的垃圾桶旁边堆了很多装修垃圾",
            2,
            2,
        ),
        (
            "parking",
            "幼儿园门口",
            "幼儿园门口早上又有车堵住人行道",
            3,
            3,
        ),
    ];
    for (category, place, text, who, stage) in open {
        if config.category(category).is_none() {
            continue;
        }
        let Some((unit, label)) = units.get(who) else {
            continue;
        };
        let at = if stage == 3 {
            now - 8 * day
        } else {
            now - 3_600_000
        };
        let handler = config
            .category(category)
            .and_then(|c| c.handler.clone())
            .unwrap_or_else(|| config.handlers[0].id.clone());
        let by = handler_actor(&account_of(&handler));
        let id = store
            .write_tx(async |tx| {
                let new = NewCase {
                    submission: Some(report_id()?),
                    unit_id: Some(*unit),
                    source: "resident",
                    category: category.to_owned(),
                    place: place.to_owned(),
                    description: text.to_owned(),
                    phone: Some("13812345678".into()),
                    ..NewCase::default()
                };
                let id = insert_case(tx, &new, &Actor::unit(*unit), at).await?;
                let me = Who::Handler(handler.clone());
                let hx = StepExtra {
                    handler: Some(&handler),
                    ..StepExtra::default()
                };
                if stage == 1 || stage == 2 {
                    take_step(
                        tx,
                        id,
                        &Action::Dispatch {
                            to: handler.clone(),
                        },
                        &Who::Staff,
                        &staff,
                        StepExtra::default(),
                        at + 60_000,
                    )
                    .await?;
                }
                if stage == 2 {
                    take_step(tx, id, &Action::Accept, &me, &by, hx.clone(), at + 120_000).await?;
                    take_step(
                        tx,
                        id,
                        &Action::Reply,
                        &me,
                        &by,
                        StepExtra {
                            note: "已联系装修户，今天下午清运完毕。",
                            ..hx
                        },
                        at + 180_000,
                    )
                    .await?;
                }
                Ok::<_, FeedbackError>(id)
            })
            .await
            .map_err(demo_err)?;
        lines.push(match stage {
            0 => format!("Report {id} ({label}) waits for dispatch: /staff/feedback/{id} as wang shows similar cases and suggests the handler"),
            1 => format!("Report {id} is with the property office: sign in as wuye to take it up (签收) and answer (答复), or return it (退单)"),
            2 => format!("Report {id} is answered: close it (办结) and record the call back (回访) as wang; the resident ({label}) can then rate it"),
            _ => format!("Report {id} is past its time limit: it heads the inbox under 督办"),
        });
    }
    // A report the city's 12345 platform passed on through Open311, with its place.
    if config.category("roads").is_some() {
        let by = Actor {
            name: "12345热线".into(),
            role: "open311".into(),
        };
        let id = store
            .write_tx(async |tx| {
                let new = NewCase {
                    source: "open311",
                    category: "roads".into(),
                    place: "菜市场路口".into(),
                    description: "市民来电：菜市场路口有一个井盖缺失，已用锥桶临时围挡".into(),
                    lat: Some(30.274_1),
                    lon: Some(120.155_1),
                    address: Some("菜市场路口东侧人行道".into()),
                    ..NewCase::default()
                };
                insert_case(tx, &new, &by, now - 2 * 3_600_000).await
            })
            .await?;
        lines.push(format!(
            "Report {id} came from the 12345 platform through Open311: /open311/v2/requests/{id}.json"
        ));
    }
    lines.push("Open311: /open311/discovery.json, /open311/v2/services.json, /open311/v2/requests.json; issue a key at /staff/feedback/open311 (admin) to POST".into());
    let _ = system;
    Ok(lines)
}
