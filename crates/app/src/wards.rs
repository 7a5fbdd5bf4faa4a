//! The wards of a database, for the command line: which ward a command acts on
//! (`--ward CODE`, required when the database holds more than one), adding one, and the
//! list as CSV.

use domain::lineage::Share;
use domain::ward::{Ward, WardCode};
use domain::{dates, Code, Input};
use store::lineage::MergeInto;
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

/// `qcdc ward list`: `code,name,from,until,successor,share`, one ward per line, by
/// code. `from` is the day a merger established the ward, `until` its last day when it
/// passed into a successor (`share` `whole` or `part`); a ward split in parts lists its
/// successors and shares separated by `;`. Empty where none.
pub async fn list_csv(store: &Store) -> anyhow::Result<String> {
    let wards = store.wards().await?;
    let lives = store.ward_lives().await?;
    let code_of = |id: WardId| {
        wards
            .iter()
            .find(|w| w.id == id)
            .map_or_else(String::new, |w| w.code.to_string())
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["code", "name", "from", "until", "successor", "share"])?;
    for e in &wards {
        let life = lives.iter().find(|l| l.ward == e.id);
        let day = |d: Option<chrono::NaiveDate>| d.map(dates::iso).unwrap_or_default();
        let successors = life.map(|l| &l.successors[..]).unwrap_or(&[]);
        w.write_record([
            e.code.as_str(),
            &e.ward.name,
            &day(life.and_then(|l| l.established)),
            &day(life.and_then(|l| l.until)),
            &successors
                .iter()
                .map(|(s, _)| code_of(*s))
                .collect::<Vec<_>>()
                .join(";"),
            &successors
                .iter()
                .map(|(_, share)| share.code())
                .collect::<Vec<_>>()
                .join(";"),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The former wards of a merger from the command line: codes separated by commas, each
/// with `:part` when only part of it passed (`ngoc-thuy,bo-de:part`).
pub async fn parse_from(store: &Store, list: &str) -> anyhow::Result<Vec<(WardId, Share)>> {
    let mut out = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (code, share) = match item.split_once(':') {
            Some((c, "part")) => (c, Share::Part),
            Some((c, "whole")) => (c, Share::Whole),
            Some((_, other)) => {
                anyhow::bail!("--from: «{other}» không hợp lệ; ghi MÃ hoặc MÃ:part (một phần)")
            }
            None => (item, Share::Whole),
        };
        out.push((
            resolve(store, Some(code))
                .await
                .map_err(|e| anyhow::anyhow!("--from: {e}"))?,
            share,
        ));
    }
    anyhow::ensure!(
        !out.is_empty(),
        "--from: ghi mã các phường cũ, cách nhau bằng dấu phẩy"
    );
    Ok(out)
}

/// Who may record a merger on the web, and into which ward: the city admin into any
/// (`Some(None)`); a ward admin only into its own ward (`Some(Some(code))`), and only in
/// a ward's own database — one without city accounts, where it brought its former wards
/// in with `qcdc transfer`; nobody else (`None`).
pub async fn merge_scope(
    store: &Store,
    role: domain::Role,
    ward: WardId,
) -> store::Result<Option<Option<String>>> {
    match role {
        domain::Role::CityAdmin => Ok(Some(None)),
        domain::Role::Admin => {
            if store.users().await?.iter().any(|u| u.role.is_city()) {
                return Ok(None);
            }
            Ok(store
                .wards()
                .await?
                .iter()
                .find(|w| w.id == ward)
                .map(|w| Some(w.code.to_string())))
        }
        _ => Ok(None),
    }
}

/// `qcdc ward merge` and the city admin's merger form: the wards `from` pass into the
/// ward `into` (created with `name` when the code is new) on `on`.
pub async fn merge(
    store: &Store,
    actor: &Actor,
    into: &str,
    name: Option<&str>,
    on: chrono::NaiveDate,
    from: &[(WardId, Share)],
) -> anyhow::Result<WardId> {
    let code = WardCode::parse(into).map_err(|e| anyhow::anyhow!("--into: {e}"))?;
    let target = match store.ward_by_code(&code).await? {
        Some(id) => MergeInto::Existing(id),
        None => {
            let name = name.ok_or_else(|| {
                anyhow::anyhow!("--name: chưa có phường mã «{code}»; hãy ghi tên phường mới")
            })?;
            MergeInto::New {
                code,
                ward: parse(name, None, None)?,
            }
        }
    };
    Ok(store.merge_wards(actor, &target, on, from).await?)
}
