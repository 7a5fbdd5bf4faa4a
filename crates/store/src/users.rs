//! Accounts. Password hashing happens in the web layer (Argon2); the store keeps the
//! PHC string only.

use domain::{Code, Role};
use sqlx::Row;

use crate::audit::{Action, AuditEvent, Entity};
use crate::bind::{bind_all, numbered, Bind};
use crate::error::{is_unique_violation, Result, StoreError};
use crate::{now, Actor, Store, WardId};

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: Option<String>,
    pub role: Role,
    pub disabled: bool,
    pub created_at: String,
    /// The account's ward; `None` for a city account.
    pub ward: Option<WardId>,
}

/// A user with the stored hash, for login checks only.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

type UserRow = (
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<i64>,
);

fn user_from(r: UserRow) -> Result<User> {
    let role =
        Role::parse(&r.3).ok_or_else(|| StoreError::Invariant(format!("unknown role {}", r.3)))?;
    Ok(User {
        id: r.0,
        username: r.1,
        display_name: r.2,
        role,
        disabled: r.4.is_some(),
        created_at: r.5,
        ward: r.6.map(WardId),
    })
}

const USER_COLS: &str = "id, username, display_name, role, disabled_at, created_at, ward_id";

impl Store {
    /// Adds an account; a ward role belongs to the first ward (a one-ward database's).
    pub async fn create_user(
        &self,
        actor: &Actor,
        username: &str,
        display_name: Option<&str>,
        role: Role,
        password_hash: &str,
    ) -> Result<i64> {
        let ward = match role.is_city() {
            true => None,
            false => Some(self.default_ward().await?.ok_or(StoreError::NotFound)?),
        };
        self.create_user_in(actor, ward, username, display_name, role, password_hash)
            .await
    }

    /// Adds an account of `ward` (a ward role) or of no ward (a city role).
    pub async fn create_user_in(
        &self,
        actor: &Actor,
        ward: Option<WardId>,
        username: &str,
        display_name: Option<&str>,
        role: Role,
        password_hash: &str,
    ) -> Result<i64> {
        if role.is_city() != ward.is_none() {
            return Err(StoreError::Invariant(format!(
                "role {} with ward {ward:?}",
                role.code()
            )));
        }
        let mut tx = self.begin_write().await?;
        let at = now();
        let id = sqlx::query("INSERT INTO users (username, display_name, password_hash, role, ward_id, created_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(username)
            .bind(display_name)
            .bind(password_hash)
            .bind(role.code())
            .bind(ward.map(|w| w.0))
            .bind(&at)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::field("username", "Tên đăng nhập này đã có.")
                } else {
                    e.into()
                }
            })?
            .try_get::<i64, _>(0)?;
        let after: domain::Input = [("username", username), ("role", role.code())]
            .into_iter()
            .collect();
        tx.commit_audited(
            AuditEvent::new(Entity::User, Some(id), Action::Create).after(&after),
            ward,
            actor,
        )
        .await?;
        Ok(id)
    }

    pub async fn user_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.read)
            .await?)
    }

    /// Every account (for a city administrator).
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(&numbered(format!(
            "SELECT {USER_COLS} FROM users ORDER BY lower(username), username"
        )))
        .fetch_all(&self.read)
        .await?;
        rows.into_iter().map(user_from).collect()
    }

    /// The accounts of one ward (for its administrator).
    pub async fn users_of(&self, ward: WardId) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(&numbered(format!(
            "SELECT {USER_COLS} FROM users WHERE ward_id = ? ORDER BY lower(username), username"
        )))
        .bind(ward.0)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter().map(user_from).collect()
    }

    pub async fn user(&self, id: i64) -> Result<User> {
        let row: UserRow = sqlx::query_as(&numbered(format!(
            "SELECT {USER_COLS} FROM users WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        user_from(row)
    }

    /// The account with this id and its password hash, in one query: what every
    /// logged-in request checks its session against.
    pub async fn credentials_by_id(&self, id: i64) -> Result<Option<Credentials>> {
        self.credentials_where("id = ?", Bind::Int(id)).await
    }

    pub async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        // No stored name holds a NUL (names are checked when created), and PostgreSQL
        // refuses one in any text it is sent.
        if username.contains('\0') {
            return Ok(None);
        }
        self.credentials_where("lower(username) = lower(?)", Bind::Text(username.into()))
            .await
    }

    /// The one account matching `condition` (one `?`, bound to `value`) with its
    /// password hash.
    async fn credentials_where(&self, condition: &str, value: Bind) -> Result<Option<Credentials>> {
        let sql = numbered(format!(
            "SELECT {USER_COLS}, password_hash FROM users WHERE {condition}"
        ));
        let row = bind_all(sqlx::query(&sql), std::slice::from_ref(&value))
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| {
            let user = (
                r.try_get(0)?,
                r.try_get(1)?,
                r.try_get(2)?,
                r.try_get(3)?,
                r.try_get(4)?,
                r.try_get(5)?,
                r.try_get(6)?,
            );
            Ok(Credentials {
                user: user_from(user)?,
                password_hash: r.try_get(7)?,
            })
        })
        .transpose()
    }

    pub async fn set_password(&self, actor: &Actor, id: i64, password_hash: &str) -> Result<()> {
        let binds = vec![
            Bind::Text(password_hash.into()),
            Bind::Text(now()),
            Bind::Int(id),
        ];
        self.change_user(
            actor,
            id,
            "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
            binds,
            Action::Password,
            None,
        )
        .await
    }

    pub async fn set_user_disabled(&self, actor: &Actor, id: i64, disabled: bool) -> Result<()> {
        let (sql, binds) = if disabled {
            (
                "UPDATE users SET disabled_at = ? WHERE id = ?",
                vec![Bind::Text(now()), Bind::Int(id)],
            )
        } else {
            (
                "UPDATE users SET disabled_at = NULL WHERE id = ?",
                vec![Bind::Int(id)],
            )
        };
        self.change_user(
            actor,
            id,
            sql,
            binds,
            if disabled {
                Action::Disable
            } else {
                Action::Enable
            },
            None,
        )
        .await
    }

    pub async fn set_user_role(&self, actor: &Actor, id: i64, role: Role) -> Result<()> {
        let after: domain::Input = [("role", role.code())].into_iter().collect();
        let binds = vec![Bind::Text(role.code().into()), Bind::Int(id)];
        self.change_user(
            actor,
            id,
            "UPDATE users SET role = ? WHERE id = ?",
            binds,
            Action::Role,
            Some(&after),
        )
        .await
    }

    /// One account change and its audit entry in one transaction; NotFound if no such user.
    async fn change_user(
        &self,
        actor: &Actor,
        id: i64,
        sql: &str,
        binds: Vec<Bind>,
        action: Action,
        after: Option<&domain::Input>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = bind_all(sqlx::query(&numbered(sql)), &binds)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit_with(
            AuditEvent::new(Entity::User, Some(id), action).after(after),
            WardId(1),
            actor,
        )
        .await?;
        Ok(())
    }

    /// Stores the hash of a one-time setup token (first administrator link).
    pub async fn add_setup_token(&self, token_hash: &str) -> Result<()> {
        sqlx::query("INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)")
            .bind(token_hash)
            .bind(now())
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn setup_token_valid(&self, token_hash: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL",
        )
        .bind(token_hash)
        .fetch_one(&self.read)
        .await?;
        Ok(n > 0)
    }

    /// Uses the token and creates the first administrator in one transaction; refuses
    /// if the token was used or any user exists already.
    pub async fn create_first_admin(
        &self,
        token_hash: &str,
        username: &str,
        password_hash: &str,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let used = sqlx::query(
            "UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
        )
        .bind(now())
        .bind(token_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&mut *tx)
            .await?;
        if used == 0 || users > 0 {
            return Err(StoreError::Conflict(
                "Liên kết tạo quản trị viên đã được dùng hoặc không hợp lệ.".into(),
            ));
        }
        let at = now();
        let id = sqlx::query("INSERT INTO users (username, password_hash, role, ward_id, created_at, password_changed_at) VALUES ($1, $2, 'admin', 1, $3, $4) RETURNING id")
            .bind(username)
            .bind(password_hash)
            .bind(&at)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await?
            .try_get::<i64, _>(0)?;
        let after: domain::Input = [("username", username), ("role", "admin")]
            .into_iter()
            .collect();
        tx.commit_with(
            AuditEvent::new(Entity::User, Some(id), Action::Create)
                .after(&after)
                .note("first administrator"),
            WardId(1),
            &Actor::new(username),
        )
        .await?;
        Ok(id)
    }
}
