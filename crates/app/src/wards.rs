//! The wards of a database, for the command line: which ward a command acts on
//! (`--ward CODE`, required when the database holds more than one), adding one, and the
//! list as CSV.

use domain::ward::{Ward, WardCode};
use domain::Input;
use store::ward::WardEntry;
use store::{Actor, Store, WardId};

/// The ward `code` names, or the only ward when no code is given; a Vietnamese error
/// listing the codes otherwise.
pub async fn resolve(store: &Store, code: Option<&str>) -> anyhow::Result<WardId> {
    let wards = store.wards().await?;
    let codes = || {
        wards
            .iter()
            .map(|w| w.code.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match code {
        Some(c) => {
            let code = WardCode::parse(c).map_err(|e| anyhow::anyhow!("--ward: {e}"))?;
            wards
                .iter()
                .find(|w| w.code == code)
                .map(|w| w.id)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "--ward: không có phường mã «{code}» trong cơ sở dữ liệu này (các mã: {})",
                        codes()
                    )
                })
        }
        None => match wards.as_slice() {
            [] => anyhow::bail!("cơ sở dữ liệu chưa có phường; hãy chạy `qcdc init`"),
            [only] => Ok(only.id),
            _ => anyhow::bail!(
                "cơ sở dữ liệu này có {} phường; hãy chọn một bằng --ward (các mã: {})",
                wards.len(),
                codes()
            ),
        },
    }
}

/// The wards `list` names: `all`, or codes separated by commas (each must exist).
pub async fn select(store: &Store, list: &str) -> anyhow::Result<Vec<WardEntry>> {
    let wards = store.wards().await?;
    if list.trim() == "all" {
        anyhow::ensure!(!wards.is_empty(), "cơ sở dữ liệu chưa có phường nào");
        return Ok(wards);
    }
    let mut chosen: Vec<WardEntry> = Vec::new();
    for c in list.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let code = WardCode::parse(c).map_err(|e| anyhow::anyhow!("--wards: {e}"))?;
        let w = wards.iter().find(|w| w.code == code).ok_or_else(|| {
            anyhow::anyhow!(
                "--wards: không có phường mã «{code}» (các mã: {})",
                wards
                    .iter()
                    .map(|w| w.code.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        if !chosen.iter().any(|x| x.id == w.id) {
            chosen.push(w.clone());
        }
    }
    anyhow::ensure!(
        !chosen.is_empty(),
        "--wards: ghi `all` hoặc các mã phường, cách nhau bằng dấu phẩy"
    );
    Ok(chosen)
}

/// A ward from the command line's words, checked as the ward form checks them.
pub fn parse(name: &str, district: Option<&str>, province: Option<&str>) -> anyhow::Result<Ward> {
    let input: Input = [
        ("name", name),
        ("district", district.unwrap_or("")),
        ("province", province.unwrap_or("")),
    ]
    .into_iter()
    .collect();
    Ward::parse(&input).map_err(|e| anyhow::anyhow!("--name/--district/--province: {e}"))
}

/// `qcdc ward add`: a new ward in an existing database.
pub async fn add(store: &Store, code: &str, ward: &Ward) -> anyhow::Result<WardId> {
    let code = WardCode::parse(code).map_err(|e| anyhow::anyhow!("--code: {e}"))?;
    Ok(store.add_ward(&Actor::system(), &code, ward).await?)
}

/// `qcdc ward list`: `code,name,district,province`, one ward per line, by code.
pub async fn list_csv(store: &Store) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["code", "name", "district", "province"])?;
    for e in store.wards().await? {
        w.write_record([
            e.code.as_str(),
            &e.ward.name,
            e.ward.district.as_deref().unwrap_or(""),
            e.ward.province.as_deref().unwrap_or(""),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
