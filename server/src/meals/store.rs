//! The meals tables behind the `Store`: elders and their consented diet, helpers,
//! menus, the household's board, the kitchen's orders and deliveries, and the
//! household's part of the privacy export and erasure.

use linli_core::config::MealsConfig;
use linli_core::date::Date;
use linli_core::household::mask_address;
use linli_core::json::{self, Value};
use linli_core::meals::{
    anonymous_tier, narrowed_to, Board, BoardElder, BoardMenu, Dish, Menu, Profile,
};
use sqlx::Row;

use super::rows::*;
use crate::http::number;
use crate::store::{map_rows, take_code, Actor, Store, StoreError, Tx};

/// Writes (or, without consent, empties) an elder's dietary data, and with a
/// withdrawal the dietary flags of the elder's orders and the digests of the
/// household's profile submissions (made from the payload as sent) too: after it no
/// needs or allergies of the elder remain in any table, not even hashed. `via` says on
/// whose word.
pub(super) async fn write_diet(
    tx: &mut Tx,
    profile: &Profile,
    now: i64,
    via: &str,
) -> Result<(), StoreError> {
    if !profile.consent {
        tx.removes_personal_data();
    }
    let conn = tx.conn();
    let (needs, allergies, consent_at) = if profile.consent {
        (
            tags_json(&profile.needs),
            strings_json(&profile.allergies),
            Some(now),
        )
    } else {
        ("[]".to_owned(), "[]".to_owned(), None)
    };
    sqlx::query(
        "UPDATE elders SET needs = $1, allergies = $2, consent_at = $3, consent_via = $4, consent_note = $5 \
         WHERE id = $6",
    )
    .bind(needs)
    .bind(allergies)
    .bind(consent_at)
    .bind(via)
    .bind(if profile.consent { via } else { "" })
    .bind(&profile.elder)
    .execute(&mut *conn)
    .await?;
    if !profile.consent {
        sqlx::query("UPDATE meal_orders SET flags = '' WHERE elder_id = $1")
            .bind(&profile.elder)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE submissions SET payload_digest = NULL WHERE kind = $1 \
             AND unit_id = (SELECT unit_id FROM elders WHERE id = $2)",
        )
        .bind(linli_core::meals::MealKind::Profile.id())
        .bind(&profile.elder)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Erases the meals data of household `unit` inside an erasure's transaction: its
/// elders' names, addresses, routes and dietary data, their orders' notes and flags,
/// and every helper link to or from it. Counts of orders stay for the kitchen's books.
pub(super) async fn erase_household(tx: &mut Tx, unit: i64, _now: i64) -> Result<(), StoreError> {
    let conn = tx.conn();
    sqlx::query(
        "UPDATE meal_orders SET note = '', flags = '' WHERE placed_by = $1 \
         OR elder_id IN (SELECT id FROM elders WHERE unit_id = $1)",
    )
    .bind(unit)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE elders SET name = '—', address = '', route = '', needs = '[]', allergies = '[]', \
         consent_at = NULL, consent_via = '', consent_note = '' WHERE unit_id = $1",
    )
    .bind(unit)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM meal_proxies WHERE unit_id = $1 OR proxy_unit_id = $1")
        .bind(unit)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// Whether a meal slot still has orders to serve (`received`) on `from` or later:
    /// the settings may not remove it while it does (those orders could not be
    /// cancelled or delivered).
    pub async fn slot_in_use(&self, slot: &str, from: &Date) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "SELECT 1 FROM meal_orders WHERE slot = $1 AND date >= $2 AND status = 'received' LIMIT 1",
        )
        .bind(slot)
        .bind(from.to_string())
        .fetch_optional(self.pool())
        .await?
        .is_some())
    }

    /// Whether elders are registered in a subsidy tier: the settings may not remove it
    /// while they are (their orders could not be priced).
    pub async fn tier_in_use(&self, tier: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query("SELECT 1 FROM elders WHERE tier = $1 LIMIT 1")
            .bind(tier)
            .fetch_optional(self.pool())
            .await?
            .is_some())
    }

    /// Registers an elder; dietary data is dropped unless `consent`. The fields are
    /// checked by the caller with `linli_core::meals::check_elder_fields`.
    pub async fn add_elder(
        &self,
        e: &NewElder,
        by: &Actor,
        now: i64,
    ) -> Result<String, StoreError> {
        self.write_tx(async |tx| {
            let label = crate::store::unit_label(tx.conn(), e.unit_id).await?;
            let n: i64 = sqlx::query("SELECT COUNT(*) FROM elders")
                .fetch_one(tx.conn())
                .await?
                .try_get(0)?;
            let id = format!("e{}", n + 1);
            let address = if e.address.trim().is_empty() {
                label
            } else {
                e.address.trim().to_owned()
            };
            sqlx::query(
                "INSERT INTO elders (id, unit_id, name, address, route, tier, fulfilment, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id)
            .bind(e.unit_id)
            .bind(e.name.trim())
            .bind(address)
            .bind(e.route.trim())
            .bind(&e.tier)
            .bind(e.fulfilment.id())
            .bind(now)
            .execute(tx.conn())
            .await?;
            if e.consent {
                let profile = Profile {
                    elder: id.clone(),
                    consent: true,
                    needs: e.needs.clone(),
                    allergies: e.allergies.clone(),
                };
                let via = format!("staff:{} ({})", by.name, e.consent_note.trim());
                write_diet(tx, &profile, now, &via).await?;
            }
            tx.audit(now, by, "elder.register", &id).await?;
            Ok(id)
        })
        .await
    }

    /// Records, changes or withdraws an elder's consented dietary data on the elder's
    /// word, as staff took it (`note`: the signed form, a call with the elder).
    pub async fn set_diet(
        &self,
        profile: &Profile,
        note: &str,
        by: &Actor,
        now: i64,
    ) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            elder_by_id(tx.conn(), &profile.elder)
                .await?
                .ok_or(StoreError::NotFound("elder"))?;
            let via = format!("staff:{} ({})", by.name, note.trim());
            write_diet(tx, profile, now, &via).await?;
            let action = if profile.consent {
                "elder.diet"
            } else {
                "elder.diet_withdrawn"
            };
            tx.audit(now, by, action, &profile.elder).await?;
            Ok(())
        })
        .await
    }

    /// Every elder with the households that may order for them.
    pub async fn elders(&self) -> Result<Vec<ElderRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ELDER_COLUMNS} FROM elders e JOIN units u ON u.id = e.unit_id ORDER BY u.building, u.label, e.id"
        ))
        .fetch_all(self.pool())
        .await?;
        let mut elders = map_rows(&rows, elder_row)?;
        let links = sqlx::query(
            "SELECT p.unit_id, p.proxy_unit_id, u.label FROM meal_proxies p JOIN units u ON u.id = p.proxy_unit_id ORDER BY u.label",
        )
        .fetch_all(self.pool())
        .await?;
        for link in &links {
            let unit: i64 = link.try_get("unit_id")?;
            let proxy: i64 = link.try_get("proxy_unit_id")?;
            let label: String = link.try_get("label")?;
            for e in elders.iter_mut().filter(|e| e.elder.unit_id == unit) {
                e.proxies.push((proxy, label.clone()));
            }
        }
        Ok(elders)
    }

    /// Lets household `proxy` order for the elders of household `unit` (staff).
    pub async fn link_proxy(
        &self,
        unit: i64,
        proxy: i64,
        by: &Actor,
        now: i64,
    ) -> Result<(), StoreError> {
        if unit == proxy {
            return Err(StoreError::Exists("helper link to itself"));
        }
        self.write_tx(async |tx| {
            insert_proxy(tx.conn(), unit, proxy, &by.name, now).await?;
            tx.audit(
                now,
                by,
                "meals.proxy",
                &format!("unit:{unit}<-unit:{proxy}"),
            )
            .await?;
            Ok(())
        })
        .await
    }

    /// Ends a helper link: household `proxy` may no longer order for `unit`'s elders
    /// (or see them). `false` when there was no such link.
    pub async fn unlink_proxy(
        &self,
        unit: i64,
        proxy: i64,
        by: &Actor,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write_tx(async |tx| {
            let gone =
                sqlx::query("DELETE FROM meal_proxies WHERE unit_id = $1 AND proxy_unit_id = $2")
                    .bind(unit)
                    .bind(proxy)
                    .execute(tx.conn())
                    .await?
                    .rows_affected()
                    > 0;
            if gone {
                tx.audit(
                    now,
                    by,
                    "meals.proxy_removed",
                    &format!("unit:{unit}<-unit:{proxy}"),
                )
                .await?;
            }
            Ok(gone)
        })
        .await
    }

    /// The helpers of household `unit`: (helper unit id, label, since). The elder's
    /// household knows its helpers (they linked with its code or through staff).
    pub async fn helpers_of(&self, unit: i64) -> Result<Vec<(i64, String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.proxy_unit_id, u.label, p.created_at FROM meal_proxies p \
             JOIN units u ON u.id = p.proxy_unit_id WHERE p.unit_id = $1 ORDER BY p.created_at",
        )
        .bind(unit)
        .fetch_all(self.pool())
        .await?;
        map_rows(&rows, |r| {
            Ok((
                r.try_get("proxy_unit_id")?,
                r.try_get::<String, _>("label")?,
                r.try_get("created_at")?,
            ))
        })
    }

    /// A household links itself as helper with the elder's household code (used up).
    /// Answers the elder household's id, `None` for an unknown or used code.
    pub async fn link_proxy_by_code(
        &self,
        code: &str,
        proxy: i64,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.write_tx(async |tx| {
            let Some(unit) = take_code(tx.conn(), code, now).await? else {
                return Ok(None);
            };
            let has_elder = sqlx::query("SELECT 1 FROM elders WHERE unit_id = $1")
                .bind(unit)
                .fetch_optional(tx.conn())
                .await?
                .is_some();
            if !has_elder || unit == proxy {
                // Leave the code unused (the transaction rolls back).
                return Err(StoreError::NotFound("elder in that household"));
            }
            insert_proxy(tx.conn(), unit, proxy, "code", now).await?;
            tx.audit(
                now,
                &Actor::unit(proxy),
                "meals.proxy",
                &format!("unit:{unit}<-unit:{proxy}"),
            )
            .await?;
            Ok(Some(unit))
        })
        .await
    }

    /// The menu of a date and slot.
    pub async fn menu(&self, date: Date, slot: &str) -> Result<Option<Menu>, StoreError> {
        let mut conn = self.read().await?;
        menu_in(&mut conn, date, slot).await
    }

    /// Publishes (or replaces) a menu. Every dish must read back as written (the core
    /// rule boards are read with: `Dish::check`); a dish that already has orders
    /// cannot be taken off. The errors name the dish.
    pub async fn put_menu(&self, menu: &Menu, by: &Actor, now: i64) -> Result<(), MenuError> {
        for d in &menu.dishes {
            d.check().map_err(|e| MenuError::Dish(d.id.clone(), e))?;
        }
        self.write_tx(async |tx| {
            let taken = ordered_in(tx.conn(), menu.date, &menu.slot).await?;
            if let Some((dish, _)) = taken.iter().find(|(d, n)| *n > 0 && menu.dish(d).is_none()) {
                return Err(MenuError::HasOrders(dish.clone()));
            }
            let dishes = json::to_string(&Value::Array(
                menu.dishes.iter().map(Dish::to_value).collect(),
            ));
            sqlx::query(
                "INSERT INTO meal_menus (date, slot, dishes, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (date, slot) DO UPDATE SET dishes = excluded.dishes, updated_at = excluded.updated_at, \
                 updated_by = excluded.updated_by",
            )
            .bind(menu.date.to_string())
            .bind(&menu.slot)
            .bind(dishes)
            .bind(now)
            .bind(&by.name)
            .execute(tx.conn())
            .await
            .map_err(StoreError::from)?;
            tx.audit(now, by, "meals.menu", &format!("{} {}", menu.date, menu.slot))
                .await?;
            Ok(())
        })
        .await
    }

    /// What household `unit` sees: its elders and those it helps, the menus from today
    /// to `days_ahead`, and their orders of the last two weeks. A helper sees the
    /// minimum it needs to order: masked addresses and household labels, no unit id,
    /// no subsidy tier (only the nameless subsidy rule, to price an order), no notes of
    /// orders other households placed, and no consent to give or withdraw. Of the
    /// elder's consented needs and allergies it sees only those that make a dish on the
    /// board unsuitable ([`narrowed_to`]): the reason a dish does not suit (不适合),
    /// because ordering for the elder safely is the purpose the elder consented to;
    /// withdrawal removes them for helpers too.
    pub async fn board(
        &self,
        unit: i64,
        config: &MealsConfig,
        now: i64,
    ) -> Result<Board, StoreError> {
        let mut conn = self.read().await?;
        let rows = sqlx::query(&format!(
            "SELECT {ELDER_COLUMNS} FROM elders e JOIN units u ON u.id = e.unit_id \
             WHERE e.unit_id = $1 OR e.unit_id IN (SELECT unit_id FROM meal_proxies WHERE proxy_unit_id = $1) \
             ORDER BY e.unit_id <> $1, e.id"
        ))
        .bind(unit)
        .fetch_all(&mut *conn)
        .await?;
        let elders: Vec<BoardElder> = map_rows(&rows, elder_row)?
            .into_iter()
            .map(|e| {
                let own = e.elder.unit_id == unit;
                if own {
                    return BoardElder {
                        address: e.address,
                        name: e.name,
                        own,
                        consent: e.consent,
                        elder: e.elder,
                    };
                }
                let mut elder = e.elder;
                elder.unit_id = 0;
                elder.tier = config
                    .tier(&elder.tier)
                    .map_or_else(String::new, |t| anonymous_tier(t.tier.subsidy));
                BoardElder {
                    address: mask_address(&e.address),
                    name: e.name,
                    own,
                    // What the elder consented to is for the elder's household and the
                    // kitchen; a helper sees the warnings only as "does not suit".
                    consent: false,
                    elder,
                }
            })
            .collect();
        let first = today(now, config.utc_offset_minutes);
        let mut menus = Vec::new();
        for day in 0..=i64::from(config.days_ahead) {
            let Some(date) = first.add_days(day) else {
                continue;
            };
            for slot in &config.slots {
                if let Some(menu) = menu_in(&mut conn, date, &slot.slot.id).await? {
                    let ordered = ordered_in(&mut conn, date, &slot.slot.id).await?;
                    menus.push(BoardMenu { menu, ordered });
                }
            }
        }
        let since = first.add_days(-14).unwrap_or(first).to_string();
        let mut orders = Vec::new();
        for e in &elders {
            let rows = sqlx::query(
                "SELECT o.*, u.label AS placed_label FROM meal_orders o JOIN units u ON u.id = o.placed_by \
                 WHERE o.elder_id = $1 AND o.date >= $2 ORDER BY o.date DESC, o.slot LIMIT 60",
            )
            .bind(&e.elder.id)
            .bind(&since)
            .fetch_all(&mut *conn)
            .await?;
            for r in &rows {
                let mut order = board_order(r)?;
                // A helper sees other households' labels masked and not their notes;
                // the elder's own household sees who ordered for its elder, and what.
                if !e.own && order.order.placed_by != unit {
                    order.placed_by = mask_address(&order.placed_by);
                    order.order.note.clear();
                }
                orders.push(order);
            }
        }
        orders.sort_by_key(|o| std::cmp::Reverse(o.order.date));
        // The menus of past orders too, so a household sees its dishes by name and
        // "same as last time" can say what it left out.
        for o in &orders {
            let (date, slot) = (o.order.date, &o.order.slot);
            if date < first
                && !menus
                    .iter()
                    .any(|m: &BoardMenu| m.menu.date == date && m.menu.slot == *slot)
            {
                if let Some(menu) = menu_in(&mut conn, date, slot).await? {
                    menus.push(BoardMenu {
                        menu,
                        ordered: Vec::new(),
                    });
                }
            }
        }
        let shown: Vec<&Menu> = menus.iter().map(|m| &m.menu).collect();
        let elders = elders
            .into_iter()
            .map(|e| {
                if e.own {
                    e
                } else {
                    BoardElder {
                        elder: narrowed_to(&e.elder, &shown),
                        ..e
                    }
                }
            })
            .collect();
        Ok(Board {
            elders,
            menus,
            orders,
            now,
        })
    }

    /// Orders of a date (and slot, if given) for the kitchen, by building, route, elder.
    pub async fn kitchen_orders(
        &self,
        date: Date,
        slot: Option<&str>,
    ) -> Result<Vec<KitchenOrder>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT o.*, p.label AS placed_label, {ELDER_COLUMNS} FROM meal_orders o \
             JOIN elders e ON e.id = o.elder_id JOIN units u ON u.id = e.unit_id \
             JOIN units p ON p.id = o.placed_by \
             WHERE o.date = $1 AND ($2 IS NULL OR o.slot = $2) \
             ORDER BY u.building, e.route, u.label, e.id, o.slot"
        ))
        .bind(date.to_string())
        .bind(slot)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let b = board_order(r)?;
                Ok(KitchenOrder {
                    id: b.id.to_string(),
                    elder: elder_row(r)?,
                    order: b.order,
                    status: b.status,
                    price: b.price,
                    flags: r.try_get("flags")?,
                    placed_by: b.placed_by,
                })
            })
            .collect()
    }

    /// Marks an order delivered; both the elder's household and the one that placed it
    /// see it in their updates. `false` when it is not a live order.
    pub async fn mark_delivered(&self, id: &str, by: &Actor, now: i64) -> Result<bool, StoreError> {
        self.write_tx(async |tx| {
            let row = sqlx::query(
                "UPDATE meal_orders SET status = 'delivered', updated_at = $1 \
                 WHERE submission_id = $2 AND status = 'received' RETURNING placed_by, elder_id",
            )
            .bind(now)
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
            let Some(row) = row else { return Ok(false) };
            let placed_by: i64 = row.try_get("placed_by")?;
            let elder_id: String = row.try_get("elder_id")?;
            let elder_unit: i64 = sqlx::query("SELECT unit_id FROM elders WHERE id = $1")
                .bind(&elder_id)
                .fetch_one(tx.conn())
                .await?
                .try_get(0)?;
            let mut units = vec![elder_unit];
            if placed_by != elder_unit {
                units.push(placed_by);
            }
            for unit in units {
                crate::store::add_event(tx.conn(), id, unit, "delivered", now).await?;
            }
            tx.audit(now, by, "meals.delivered", id).await?;
            Ok(true)
        })
        .await
    }

    /// The meals part of household `unit`'s own download: its elders with what they
    /// consented to, its helpers, the households it helps, and its orders.
    pub async fn meals_household(&self, unit: i64) -> Result<Value, StoreError> {
        let elders: Vec<ElderRow> = self
            .elders()
            .await?
            .into_iter()
            .filter(|e| e.elder.unit_id == unit)
            .collect();
        let elder_values = elders.iter().map(|e| {
            Value::object(vec![
                ("id", Value::String(e.elder.id.clone())),
                ("name", Value::String(e.name.clone())),
                ("address", Value::String(e.address.clone())),
                ("tier", Value::String(e.elder.tier.clone())),
                ("consent", Value::Bool(e.consent)),
                (
                    "needs",
                    Value::Array(
                        e.elder
                            .needs
                            .iter()
                            .map(|t| Value::String(t.id().into()))
                            .collect(),
                    ),
                ),
                (
                    "allergies",
                    Value::Array(
                        e.elder
                            .allergies
                            .iter()
                            .map(|a| Value::String(a.clone()))
                            .collect(),
                    ),
                ),
            ])
        });
        let helpers = self
            .helpers_of(unit)
            .await?
            .into_iter()
            .map(|(_, label, since)| {
                Value::object(vec![
                    ("household", Value::String(label)),
                    ("since", number(since)),
                ])
            });
        let rows = sqlx::query(
            "SELECT o.submission_id, o.elder_id, o.date, o.slot, o.lines, o.note, o.status, o.pay_fen \
             FROM meal_orders o JOIN elders e ON e.id = o.elder_id \
             WHERE e.unit_id = $1 OR o.placed_by = $1 ORDER BY o.date, o.slot, o.elder_id, o.submission_id",
        )
        .bind(unit)
        .fetch_all(self.pool())
        .await?;
        let orders = map_rows(&rows, |r| {
            Ok(Value::object(vec![
                ("id", Value::String(r.try_get("submission_id")?)),
                ("elder", Value::String(r.try_get("elder_id")?)),
                ("date", Value::String(r.try_get("date")?)),
                ("slot", Value::String(r.try_get("slot")?)),
                (
                    "lines",
                    json::from_str(&r.try_get::<String, _>("lines")?).unwrap_or(Value::Null),
                ),
                ("note", Value::String(r.try_get("note")?)),
                ("status", Value::String(r.try_get("status")?)),
                ("pay_fen", number(r.try_get("pay_fen")?)),
            ]))
        })?;
        Ok(Value::object(vec![
            ("elders", Value::Array(elder_values.collect())),
            ("helpers", Value::Array(helpers.collect())),
            ("orders", Value::Array(orders)),
        ]))
    }
}

/// Why a menu is not published.
#[derive(Debug, thiserror::Error)]
pub enum MenuError {
    /// A dish does not pass the core rule (its id, and the field at fault).
    #[error("dish {0}: {1}")]
    Dish(String, linli_core::sync::wire::WireError),
    /// A dish that has orders is missing from the new menu.
    #[error("dish {0} has orders")]
    HasOrders(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for MenuError {
    fn from(e: sqlx::Error) -> MenuError {
        MenuError::Store(e.into())
    }
}
