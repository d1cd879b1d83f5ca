//! The meals tables behind the `Store`: elders, helpers, menus, the household's board,
//! the kitchen's orders and deliveries.

use linli_core::config::MealsConfig;
use linli_core::date::Date;
use linli_core::json::{self, Value};
use linli_core::meals::{dish_to_value, mask_address, Board, BoardElder, BoardMenu, Menu};
use sqlx::Row;

use super::rows::*;
use crate::error::ApiError;
use crate::store::{append_audit, map_rows, take_code, Actor, Store};
impl Store {
    /// Registers an elder; dietary data is dropped unless `consent`.
    pub async fn add_elder(&self, e: &NewElder, by: &Actor, now: i64) -> Result<String, ApiError> {
        self.write_tx(async |conn| {
            let unit = sqlx::query("SELECT label FROM units WHERE id = $1")
                .bind(e.unit_id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or(ApiError::NotFound("unit"))?;
            let label: String = unit.try_get("label")?;
            let n: i64 = sqlx::query("SELECT COUNT(*) FROM elders")
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
            let id = format!("e{}", n + 1);
            let address = if e.address.trim().is_empty() {
                label
            } else {
                e.address.trim().to_owned()
            };
            let (needs, allergies) = if e.consent {
                (tags_json(&e.needs), strings_json(&e.allergies))
            } else {
                ("[]".to_owned(), "[]".to_owned())
            };
            sqlx::query(
                "INSERT INTO elders (id, unit_id, name, address, route, tier, fulfilment, needs, allergies, \
                 consent_at, consent_via, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(&id)
            .bind(e.unit_id)
            .bind(e.name.trim())
            .bind(address)
            .bind(e.route.trim())
            .bind(&e.tier)
            .bind(e.fulfilment.id())
            .bind(needs)
            .bind(allergies)
            .bind(e.consent.then_some(now))
            .bind(if e.consent { format!("staff:{}", by.name) } else { String::new() })
            .bind(now)
            .execute(&mut *conn)
            .await?;
            append_audit(conn, now, by, "elder.register", &id).await?;
            Ok(id)
        })
        .await
    }

    /// Every elder with the households that may order for them.
    pub async fn elders(&self) -> Result<Vec<ElderRow>, ApiError> {
        let rows = sqlx::query(&format!(
            "SELECT {ELDER_COLUMNS} FROM elders e JOIN units u ON u.id = e.unit_id ORDER BY u.building, u.label, e.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut elders = map_rows(&rows, elder_row)?;
        let links = sqlx::query(
            "SELECT p.unit_id, u.label FROM meal_proxies p JOIN units u ON u.id = p.proxy_unit_id ORDER BY u.label",
        )
        .fetch_all(&self.pool)
        .await?;
        for link in &links {
            let unit: i64 = link.try_get("unit_id")?;
            let label: String = link.try_get("label")?;
            for e in elders.iter_mut().filter(|e| e.elder.unit_id == unit) {
                e.proxies.push(label.clone());
            }
        }
        Ok(elders)
    }

    /// Lets household `proxy` order for the elders of household `unit`.
    pub async fn link_proxy(
        &self,
        unit: i64,
        proxy: i64,
        by: &Actor,
        now: i64,
    ) -> Result<(), ApiError> {
        self.write_tx(async |conn| {
            insert_proxy(conn, unit, proxy, &by.name, now).await?;
            append_audit(
                conn,
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

    /// A household links itself as proxy with the elder's household code (used up).
    /// Answers the elder household's id, `None` for an unknown or used code.
    pub async fn link_proxy_by_code(
        &self,
        code: &str,
        proxy: i64,
        now: i64,
    ) -> Result<Option<i64>, ApiError> {
        self.write_tx(async |conn| {
            let Some(unit) = take_code(conn, code, now).await? else {
                return Ok(None);
            };
            let has_elder = sqlx::query("SELECT 1 FROM elders WHERE unit_id = $1")
                .bind(unit)
                .fetch_optional(&mut *conn)
                .await?
                .is_some();
            if !has_elder || unit == proxy {
                // Leave the code unused: it belongs to a household without elders.
                return Err(ApiError::NotFound("elder in that household"));
            }
            insert_proxy(conn, unit, proxy, "code", now).await?;
            append_audit(
                conn,
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
    pub async fn menu(&self, date: Date, slot: &str) -> Result<Option<Menu>, ApiError> {
        let mut conn = self.pool.acquire().await?;
        menu_in(&mut conn, date, slot).await
    }

    /// Publishes (or replaces) a menu. A dish that already has orders cannot be taken
    /// off; its error names it.
    pub async fn put_menu(&self, menu: &Menu, by: &Actor, now: i64) -> Result<(), ApiError> {
        self.write_tx(async |conn| {
            let taken = ordered_in(conn, menu.date, &menu.slot).await?;
            if let Some((dish, _)) = taken.iter().find(|(d, n)| *n > 0 && menu.dish(d).is_none()) {
                return Err(ApiError::Invalid(linli_core::sync::wire::WireError {
                    field: format!("dishes.{dish}"),
                    message: "has orders and cannot be removed".into(),
                }));
            }
            let dishes = json::to_string(&Value::Array(
                menu.dishes.iter().map(dish_to_value).collect(),
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
            .execute(&mut *conn)
            .await?;
            append_audit(
                conn,
                now,
                by,
                "meals.menu",
                &format!("{} {}", menu.date, menu.slot),
            )
            .await?;
            Ok(())
        })
        .await
    }

    /// What household `unit` sees: its elders and those it orders for, the menus from
    /// today to `days_ahead`, and their orders of the last two weeks.
    pub async fn board(
        &self,
        unit: i64,
        config: &MealsConfig,
        now: i64,
    ) -> Result<Board, ApiError> {
        let mut conn = self.pool.acquire().await?;
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
                BoardElder {
                    address: if own {
                        e.address.clone()
                    } else {
                        mask_address(&e.address)
                    },
                    name: e.name,
                    own,
                    consent: e.consent,
                    elder: e.elder,
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
                orders.push(board_order(r)?);
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
    ) -> Result<Vec<KitchenOrder>, ApiError> {
        let rows = sqlx::query(&format!(
            "SELECT o.*, p.label AS placed_label, {ELDER_COLUMNS} FROM meal_orders o \
             JOIN elders e ON e.id = o.elder_id JOIN units u ON u.id = e.unit_id \
             JOIN units p ON p.id = o.placed_by \
             WHERE o.date = $1 AND ($2 IS NULL OR o.slot = $2) \
             ORDER BY u.building, e.route, u.label, e.id, o.slot"
        ))
        .bind(date.to_string())
        .bind(slot)
        .fetch_all(&self.pool)
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
    pub async fn mark_delivered(&self, id: &str, by: &Actor, now: i64) -> Result<bool, ApiError> {
        self.write_tx(async |conn| {
            let row = sqlx::query(
                "UPDATE meal_orders SET status = 'delivered', updated_at = $1 \
                 WHERE submission_id = $2 AND status = 'received' RETURNING placed_by, elder_id",
            )
            .bind(now)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            let Some(row) = row else { return Ok(false) };
            let placed_by: i64 = row.try_get("placed_by")?;
            let elder_id: String = row.try_get("elder_id")?;
            let elder_unit: i64 = sqlx::query("SELECT unit_id FROM elders WHERE id = $1")
                .bind(&elder_id)
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
            let mut units = vec![elder_unit];
            if placed_by != elder_unit {
                units.push(placed_by);
            }
            for unit in units {
                add_event(conn, id, unit, "delivered", now).await?;
            }
            append_audit(conn, now, by, "meals.delivered", id).await?;
            Ok(true)
        })
        .await
    }
}
