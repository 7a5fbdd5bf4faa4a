//! The demo ward: Ngọc Thụy, 1998–2018 (and its registers under the 2022 law,
//! 2023–2026), built from `fixtures/` (embedded in the binary so
//! that `qcdc demo` works from any folder) through the same importer as `qcdc import`,
//! with one account per role.

use domain::lineage::Share;
use domain::ward::{NameFrom, ReviewPeriod, Term, Ward, WardCode};
use domain::{dates, Kind, Role};
use serde::Deserialize;
use store::lineage::MergeInto;
use store::{Actor, Store};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/",
            $name
        ))
    };
}

/// The fixture files in import order.
pub const FILES: &[(Kind, &str)] = &[
    (Kind::ResidentialGroups, fixture!("residential_groups.csv")),
    (Kind::PartyCells, fixture!("party_cells.csv")),
    (Kind::CommitteeMembers, fixture!("committee_members.csv")),
    (Kind::Conferences, fixture!("conferences.csv")),
    (Kind::Publicity, fixture!("publicity.csv")),
    (Kind::Dialogues, fixture!("dialogues.csv")),
    (Kind::Opinions, fixture!("opinions.csv")),
    (Kind::Documents, fixture!("documents.csv")),
    (Kind::Inspections, fixture!("inspections.csv")),
    (Kind::Commendations, fixture!("commendations.csv")),
    (Kind::HotSpots, fixture!("hot_spots.csv")),
    // Under the 2022 law, 1/7/2023–30/6/2026 (fixtures/tools/generate_law.py).
    (
        Kind::CommunityDecisions,
        fixture!("community_decisions.csv"),
    ),
    (Kind::Consultations, fixture!("consultations.csv")),
    (
        Kind::InspectionBoardTerms,
        fixture!("inspection_board_terms.csv"),
    ),
    (
        Kind::InspectionBoardActivities,
        fixture!("inspection_board_activities.csv"),
    ),
    (Kind::SupervisionBoards, fixture!("supervision_boards.csv")),
    (
        Kind::SupervisionActivities,
        fixture!("supervision_activities.csv"),
    ),
];

const WARD_JSON: &str = fixture!("ward.json");

/// Demo accounts: (username, role, password). Printed when the demo is built; a demo
/// database is for trying the tool, never for real records.
pub const ACCOUNTS: &[(&str, Role, &str)] = &[
    ("admin", Role::Admin, "ngocthuy-2018-qt"),
    ("thuky", Role::Secretary, "ngocthuy-2018-tk"),
    ("phobithu", Role::Deputy, "ngocthuy-2018-pbt"),
    ("xem", Role::Viewer, "ngocthuy-2018-x"),
];

#[derive(Deserialize)]
struct WardFile {
    name: String,
    district: Option<String>,
    province: Option<String>,
    #[serde(default)]
    districts: Vec<Named>,
    #[serde(default)]
    superior_bodies: Vec<Named>,
    #[serde(default)]
    terms: Vec<TermFile>,
    #[serde(default)]
    review_periods: Vec<PeriodFile>,
}
#[derive(Deserialize)]
struct Named {
    from: String,
    name: String,
}
#[derive(Deserialize)]
struct TermFile {
    name: String,
    start: String,
}
#[derive(Deserialize)]
struct PeriodFile {
    name: String,
    start: String,
    end: String,
}

fn date(s: &str) -> anyhow::Result<chrono::NaiveDate> {
    dates::parse_date(s).map_err(|_| anyhow::anyhow!("fixtures/ward.json: bad date {s:?}"))
}

/// Builds the demo database at `db`, refusing to overwrite an existing file.
pub async fn build(
    db: impl Into<store::Location>,
) -> anyhow::Result<&'static [(&'static str, Role, &'static str)]> {
    let db: store::Location = db.into();
    let store = open_new(&db).await?;
    let actor = Actor::new("demo");
    fill_ngoc_thuy(&store, &actor, None).await?;
    demo_accounts(&store, &actor).await?;
    store.close().await;
    Ok(ACCOUNTS)
}

async fn open_new(db: &store::Location) -> anyhow::Result<Store> {
    if let store::Location::Sqlite(path) = db {
        anyhow::ensure!(
            !path.exists(),
            "{} đã có; bản demo chỉ được dựng vào một tệp mới",
            path.display()
        );
    }
    Ok(Store::open(db).await?)
}

async fn demo_accounts(store: &Store, actor: &Actor) -> anyhow::Result<()> {
    for (username, role, password) in ACCOUNTS {
        let hash = crate::passwords::hash(password)?;
        store
            .create_user(actor, username, None, *role, &hash)
            .await?;
    }
    Ok(())
}

/// Records of a fixture held back from Ngọc Thụy: those dated from the day it passed
/// into its successor, as CSV text with the fixture's header.
type HeldBack = Vec<(Kind, String)>;

/// Ngọc Thụy from the fixtures. With `cut` (the city demo's merger), the dated records
/// from that day on are not imported but returned, for its successor.
async fn fill_ngoc_thuy(
    store: &Store,
    actor: &Actor,
    cut: Option<chrono::NaiveDate>,
) -> anyhow::Result<(store::WardId, HeldBack)> {
    let wf: WardFile = serde_json::from_str(WARD_JSON)?;
    let ward = store
        .init_ward(
            actor,
            &Ward {
                name: wf.name,
                district: wf.district,
                province: wf.province,
            },
        )
        .await?;
    let mut froms: Vec<&str> = wf
        .districts
        .iter()
        .chain(&wf.superior_bodies)
        .map(|n| n.from.as_str())
        .collect();
    froms.sort();
    froms.dedup();
    for f in froms {
        let pick = |list: &[Named]| {
            list.iter()
                .filter(|n| n.from.as_str() <= f)
                .max_by_key(|n| n.from.clone())
                .map(|n| n.name.clone())
        };
        store
            .set_ward_name_from(
                ward,
                actor,
                &NameFrom {
                    from: date(f)?,
                    district: pick(&wf.districts),
                    superior_body: pick(&wf.superior_bodies),
                },
            )
            .await?;
    }
    let terms = wf
        .terms
        .iter()
        .map(|t| {
            Ok(Term {
                name: t.name.clone(),
                start: date(&t.start)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    store.set_terms(ward, actor, &terms).await?;
    let periods = wf
        .review_periods
        .iter()
        .map(|p| {
            Ok(ReviewPeriod {
                name: p.name.clone(),
                start: date(&p.start)?,
                end: date(&p.end)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    store.set_review_periods(ward, actor, &periods).await?;
    let mut held = Vec::new();
    for (kind, text) in FILES {
        let (kept, later) = match (cut, kind.date_column()) {
            (Some(cut), Some(col)) => split_from(text, col, cut)?,
            _ => (text.to_string(), None),
        };
        import_fixture(store, ward, actor, *kind, &kept).await?;
        held.extend(later.map(|t| (*kind, t)));
    }
    Ok((ward, held))
}

async fn import_fixture(
    store: &Store,
    ward: store::WardId,
    actor: &Actor,
    kind: Kind,
    text: &str,
) -> anyhow::Result<()> {
    crate::import::run(
        store,
        ward,
        actor,
        kind,
        Some(&format!("fixtures/{}.csv", kind.code())),
        text.as_bytes(),
        false,
    )
    .await
    .map_err(|e| anyhow::anyhow!("fixture {}: {e}", kind.code()))?;
    Ok(())
}

/// Splits a fixture's rows at `cut` by the date column `col`: (before, from `cut` on —
/// None when there is none), each with the header.
fn split_from(
    text: &str,
    col: &str,
    cut: chrono::NaiveDate,
) -> anyhow::Result<(String, Option<String>)> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers()?.clone();
    let i = header
        .iter()
        .position(|h| h == col)
        .ok_or_else(|| anyhow::anyhow!("fixture without column {col}"))?;
    let mut before = csv::Writer::from_writer(Vec::new());
    let mut after = csv::Writer::from_writer(Vec::new());
    before.write_record(&header)?;
    after.write_record(&header)?;
    let cut = dates::iso(cut);
    let mut later = 0;
    for rec in r.records() {
        let rec = rec?;
        if rec.get(i).is_some_and(|d| d >= cut.as_str()) {
            after.write_record(&rec)?;
            later += 1;
        } else {
            before.write_record(&rec)?;
        }
    }
    let text = |w: csv::Writer<Vec<u8>>| -> anyhow::Result<String> {
        Ok(String::from_utf8(w.into_inner()?)?)
    };
    Ok((text(before)?, (later > 0).then(|| text(after)).transpose()?))
}

/// Ngọc Thụy's residential groups as its successor's register from the day of the
/// merger: the same groups, established that day.
fn groups_from(cut: chrono::NaiveDate) -> anyhow::Result<String> {
    let text = FILES
        .iter()
        .find(|(k, _)| *k == Kind::ResidentialGroups)
        .map(|(_, t)| *t)
        .ok_or_else(|| anyhow::anyhow!("no residential groups fixture"))?;
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers()?.clone();
    let est = header.iter().position(|h| h == "established");
    let dis = header.iter().position(|h| h == "dissolved");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header)?;
    for rec in r.records() {
        let rec = rec?;
        if dis.and_then(|i| rec.get(i)).is_some_and(|d| !d.is_empty()) {
            continue; // dissolved before the merger
        }
        let row: Vec<String> = rec
            .iter()
            .enumerate()
            .map(|(i, v)| {
                if Some(i) == est {
                    dates::iso(cut)
                } else {
                    v.to_string()
                }
            })
            .collect();
        w.write_record(&row)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The fictional wards of the city demo, beside Ngọc Thụy.
const CITY_WARDS: &[&str] = &[
    "Phường Hoa Sữa",
    "Phường Bến Sông",
    "Phường Cầu Mới",
    "Phường Đồng Xanh",
];

/// The city demo's former wards (2014 until 30/6/2025): Bãi Bồi passed wholly into
/// `phuong-moi`, Làng Hoa in part into `phuong-moi` and in part into Cầu Mới.
const FORMER_WARDS: &[&str] = &["Phường Bãi Bồi", "Phường Làng Hoa"];

/// The city demo's ward formed by the 2025 reorganisation.
pub const MERGED_CODE: &str = "phuong-moi";
const MERGED_NAME: &str = "Phường Sông Xanh";

/// The city demo: Ngọc Thụy from the fixtures (its report unchanged) plus generated
/// wards with fictional names (2017–2026), two former wards (2014 to 30/6/2025), and
/// `phuong-moi`, formed on 1/7/2025 from Ngọc Thụy and Bãi Bồi (whole) and part of Làng
/// Hoa, with its records since (Ngọc Thụy's fixture records from 1/7/2025 on are its);
/// a city viewer and each live ward's secretary.
pub async fn build_city(
    db: impl Into<store::Location>,
) -> anyhow::Result<Vec<(String, Role, String, String)>> {
    let db: store::Location = db.into();
    let store = open_new(&db).await?;
    let actor = Actor::new("demo");
    let on = chrono::NaiveDate::from_ymd_opt(2025, 7, 1)
        .ok_or_else(|| anyhow::anyhow!("bad merger date"))?;
    let (ngoc_thuy, held) = fill_ngoc_thuy(&store, &actor, Some(on)).await?;
    demo_accounts(&store, &actor).await?;
    let mut accounts: Vec<(String, Role, String, String)> = ACCOUNTS
        .iter()
        .map(|(u, r, p)| (u.to_string(), *r, p.to_string(), "ngoc-thuy".to_string()))
        .collect();
    let names: Vec<String> = CITY_WARDS.iter().map(|n| n.to_string()).collect();
    let volume = store::generate::Volume {
        publicity: 150,
        ..Default::default()
    };
    let ids = store.generate_named(&names, 10, 2026, volume).await?;
    let day = |y, m, d| {
        chrono::NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow::anyhow!("bad date"))
    };
    let former: Vec<String> = FORMER_WARDS.iter().map(|n| n.to_string()).collect();
    let former_volume = store::generate::Volume {
        window: Some((day(2014, 1, 1)?, on.pred_opt().unwrap_or(on))),
        ..volume
    };
    let former_ids = store
        .generate_named(&former, 12, 2025, former_volume)
        .await?;
    let (bai_boi, lang_hoa) = match former_ids[..] {
        [a, b] => (a, b),
        _ => anyhow::bail!("the former wards were not generated"),
    };
    let merged = store
        .merge_wards(
            &actor,
            &MergeInto::New {
                code: WardCode::parse(MERGED_CODE).map_err(|e| anyhow::anyhow!(e))?,
                ward: Ward {
                    name: MERGED_NAME.into(),
                    district: None,
                    province: Some("Thành phố Hà Nội".into()),
                },
            },
            on,
            &[
                (ngoc_thuy, Share::Whole),
                (bai_boi, Share::Whole),
                (lang_hoa, Share::Part),
            ],
        )
        .await?;
    let wards = store.wards().await?;
    let code_of = |id: store::WardId| {
        wards
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.code.to_string())
            .ok_or_else(|| anyhow::anyhow!("ward {} has no code", id.0))
    };
    if let Some(cau_moi) = ids.get(2) {
        store
            .merge_wards(
                &actor,
                &MergeInto::Existing(*cau_moi),
                on,
                &[(lang_hoa, Share::Part)],
            )
            .await?;
    }
    store
        .set_ward_name_from(
            merged,
            &actor,
            &NameFrom {
                from: on,
                district: None,
                superior_body: Some("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI".into()),
            },
        )
        .await?;
    import_fixture(
        &store,
        merged,
        &actor,
        Kind::ResidentialGroups,
        &groups_from(on)?,
    )
    .await?;
    for (kind, text) in &held {
        import_fixture(&store, merged, &actor, *kind, text).await?;
    }
    let merged_volume = store::generate::Volume {
        publicity: 150,
        window: Some((on, day(2026, 10, 31)?)),
        ..Default::default()
    };
    store.generate_into(merged, 2, 2026, merged_volume).await?;
    for id in ids.into_iter().chain([merged]) {
        let code = code_of(id)?;
        let username = format!("thuky-{code}");
        let password = format!("{code}-2026-tk");
        let hash = crate::passwords::hash(&password)?;
        store
            .create_user_in(&actor, Some(id), &username, None, Role::Secretary, &hash)
            .await?;
        accounts.push((username, Role::Secretary, password, code));
    }
    let password = "thanhpho-2026-xem".to_string();
    let hash = crate::passwords::hash(&password)?;
    store
        .create_user_in(&actor, None, "thanhpho", None, Role::CityViewer, &hash)
        .await?;
    accounts.push(("thanhpho".into(), Role::CityViewer, password, String::new()));
    store.close().await;
    Ok(accounts)
}

pub fn print_accounts(accounts: &[(&str, Role, &str)]) {
    use domain::Code;
    println!("Tài khoản mẫu (tên đăng nhập / mật khẩu — vai trò):");
    for (u, r, p) in accounts {
        println!("  {u:<9} / {p:<18} — {} ({})", r.code(), r.label());
    }
}
