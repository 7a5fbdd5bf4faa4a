//! The demo ward: Ngọc Thụy, 1998–2018 (and its registers under the 2022 law,
//! 2023–2026), built from `fixtures/` (embedded in the binary so
//! that `qcdc demo` works from any folder) through the same importer as `qcdc import`,
//! with one account per role.

use domain::ward::{NameFrom, ReviewPeriod, Term, Ward};
use domain::{dates, Kind, Role};
use serde::Deserialize;
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
    if let store::Location::Sqlite(path) = &db {
        anyhow::ensure!(
            !path.exists(),
            "{} đã có; bản demo chỉ được dựng vào một tệp mới",
            path.display()
        );
    }
    let wf: WardFile = serde_json::from_str(WARD_JSON)?;
    let store = Store::open(&db).await?;
    let actor = Actor::new("demo");
    let ward = store
        .init_ward(
            &actor,
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
                &actor,
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
    store.set_terms(ward, &actor, &terms).await?;
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
    store.set_review_periods(ward, &actor, &periods).await?;
    for (kind, text) in FILES {
        crate::import::run(
            &store,
            ward,
            &actor,
            *kind,
            Some(&format!("fixtures/{}.csv", kind.code())),
            text.as_bytes(),
            false,
        )
        .await
        .map_err(|e| anyhow::anyhow!("fixture {}: {e}", kind.code()))?;
    }
    for (username, role, password) in ACCOUNTS {
        let hash = crate::passwords::hash(password)?;
        store
            .create_user(&actor, username, None, *role, &hash)
            .await?;
    }
    store.close().await;
    Ok(ACCOUNTS)
}

/// The fictional wards of the city demo, beside Ngọc Thụy.
const CITY_WARDS: &[&str] = &[
    "Phường Hoa Sữa",
    "Phường Bến Sông",
    "Phường Cầu Mới",
    "Phường Đồng Xanh",
];

/// The city demo: Ngọc Thụy from the fixtures (its report unchanged) plus generated
/// wards with fictional names (2017–2026), a city viewer and each generated ward's
/// secretary. Returns the accounts as (username, role, password, ward code).
pub async fn build_city(
    db: impl Into<store::Location>,
) -> anyhow::Result<Vec<(String, Role, String, String)>> {
    let db: store::Location = db.into();
    let mut accounts: Vec<(String, Role, String, String)> = build(&db)
        .await?
        .iter()
        .map(|(u, r, p)| (u.to_string(), *r, p.to_string(), "ngoc-thuy".to_string()))
        .collect();
    let store = Store::open_existing(&db).await?;
    let names: Vec<String> = CITY_WARDS.iter().map(|n| n.to_string()).collect();
    let volume = store::generate::Volume {
        publicity: 150,
        ..Default::default()
    };
    let ids = store.generate_named(&names, 10, 2026, volume).await?;
    let actor = Actor::new("demo");
    let wards = store.wards().await?;
    for id in ids {
        let code = wards
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.code.to_string())
            .ok_or_else(|| anyhow::anyhow!("generated ward {} has no code", id.0))?;
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
