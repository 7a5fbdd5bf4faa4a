//! Account and ward set-up rules shared by the command line and the web: creating a
//! ward's database, adding an account, and what a username may be.

use domain::ward::{Ward, WardCode};
use domain::{Code, Input, Role};
use store::{Actor, Store};

/// Creates a new database with its ward (its code given, or made from its name).
/// Refuses an existing file, or a database that has a ward, changing nothing.
pub async fn init(
    db: &store::Location,
    ward: &str,
    code: Option<&str>,
    district: Option<&str>,
    province: Option<&str>,
) -> anyhow::Result<Store> {
    let input: Input = [
        ("name", ward),
        ("district", district.unwrap_or("")),
        ("province", province.unwrap_or("")),
    ]
    .into_iter()
    .collect();
    let ward =
        Ward::parse(&input).map_err(|e| anyhow::anyhow!("--ward/--district/--province: {e}"))?;
    let code = code
        .map(WardCode::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--code: {e}"))?;
    if let store::Location::Sqlite(path) = db {
        anyhow::ensure!(
            !path.exists(),
            "{} đã có; không thay đổi gì",
            path.display()
        );
    }
    let store = Store::open(db).await?;
    store
        .init_ward_coded(&Actor::system(), &ward, code.as_ref())
        .await?;
    Ok(store)
}

/// Adds an account: a ward role in the ward `ward` names (or the only ward), a city
/// role in no ward (`--ward` is then refused).
pub async fn add_user(
    db: &store::Location,
    ward: Option<&str>,
    username: &str,
    role: &str,
    display_name: Option<&str>,
    password: &str,
) -> anyhow::Result<i64> {
    let role = Role::parse(role).ok_or_else(|| {
        anyhow::anyhow!(
            "--role: không có vai trò «{role}»; dùng {}",
            Role::codes_list()
        )
    })?;
    let username = username.trim();
    anyhow::ensure!(
        valid_username(username),
        "--username: 3–40 ký tự gồm chữ không dấu, số, '.', '-' hoặc '_'"
    );
    crate::passwords::check_rules(password, username)
        .map_err(|m| anyhow::anyhow!("mật khẩu: {m}"))?;
    let store = Store::open_existing(db).await?;
    let ward = match (role.is_city(), ward) {
        (true, Some(_)) => anyhow::bail!(
            "--ward: tài khoản {} là của cả thành phố, không thuộc phường nào; bỏ --ward",
            role.label()
        ),
        (true, None) => None,
        (false, code) => Some(crate::wards::resolve(&store, code).await?),
    };
    let hash = crate::passwords::hash(password)?;
    Ok(store
        .create_user_in(&Actor::system(), ward, username, display_name, role, &hash)
        .await?)
}

pub fn valid_username(u: &str) -> bool {
    (3..=40).contains(&u.chars().count())
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}
