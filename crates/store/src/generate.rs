//! A generator of realistic history for N wards × Y years, for benchmarks and load
//! tests (`qcdc generate`). Deterministic (fixed seed), written in bulk inside one
//! transaction per ward, bypassing the per-record audit (the audit gets one entry per
//! generated ward, as an import does).

use chrono::NaiveDate;
use domain::dates;
use domain::{
    Channel, Code, CommendationLevel, ConferenceKind, DocumentKind, InspectionKind, RecipientKind,
    Topic,
};
use sqlx::AnyConnection;
use sqlx::Row;

use crate::audit::{Action, AuditEvent, Entity};
use crate::error::Result;
use crate::{now, Actor, Store, WardId};

/// How much one ward does in one year. The defaults give about 1,200 records a year,
/// ~25,000 over 21 years: a busy ward.
#[derive(Debug, Clone, Copy)]
pub struct Volume {
    pub conferences: u32,
    pub publicity: u32,
    pub dialogues: u32,
    pub opinions_per_dialogue: u32,
    pub documents: u32,
    pub inspections: u32,
    pub commendations: u32,
    pub groups: u32,
    /// Only records dated in these days (first, last), both included; groups made then
    /// are established on the first. None: every day of the years.
    pub window: Option<(NaiveDate, NaiveDate)>,
}

impl Default for Volume {
    fn default() -> Self {
        Volume {
            conferences: 60,
            publicity: 900,
            dialogues: 12,
            opinions_per_dialogue: 5,
            documents: 30,
            inspections: 20,
            commendations: 40,
            groups: 38,
            window: None,
        }
    }
}

/// xorshift64*: small, fast, deterministic; quality is irrelevant here.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn date(&mut self, year: i32) -> String {
        format!(
            "{year:04}-{:02}-{:02}",
            1 + self.below(12),
            1 + self.below(28)
        )
    }
}

impl Store {
    /// Adds `wards` new wards ("Phường Mẫu 1", …), each with `years` years of records
    /// ending with `last_year`. Returns the ids of the new wards.
    pub async fn generate(
        &self,
        wards: u32,
        years: u32,
        last_year: i32,
        volume: Volume,
    ) -> Result<Vec<WardId>> {
        let names: Vec<String> = (1..=wards).map(|w| format!("Phường Mẫu {w}")).collect();
        self.generate_named(&names, years, last_year, volume).await
    }

    /// [`Store::generate`] with the wards' names; their codes are made from the names
    /// (numbered where one is taken).
    pub async fn generate_named(
        &self,
        names: &[String],
        years: u32,
        last_year: i32,
        volume: Volume,
    ) -> Result<Vec<WardId>> {
        let mut ids = Vec::new();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for name in names {
            let mut tx = self.begin_write().await?;
            let id = sqlx::query("INSERT INTO wards (name, district, province, created_at) VALUES ($1, 'Quận Mẫu', 'Hà Nội', $2) RETURNING id")
                .bind(name)
                .bind(now())
                .fetch_one(&mut *tx)
                .await?
                .try_get::<i64, _>(0)?;
            let ward = WardId(id);
            fill_ward(&mut tx, ward, years, last_year, volume, &mut rng).await?;
            tx.commit_with(
                AuditEvent::new(Entity::Ward, Some(id), Action::Generate)
                    .note(&format!("{years} năm dữ liệu mẫu")),
                ward,
                &Actor::system(),
            )
            .await?;
            ids.push(ward);
        }
        self.fill_ward_codes().await?;
        Ok(ids)
    }
}

impl Store {
    /// Fills an existing ward (a merger's successor) with generated records like
    /// [`Store::generate_named`]; it keeps the ward's groups when it has some.
    pub async fn generate_into(
        &self,
        ward: WardId,
        years: u32,
        last_year: i32,
        volume: Volume,
    ) -> Result<()> {
        let mut rng = Rng(0x5851_F42D_4C95_7F2D ^ ward.0 as u64);
        let mut tx = self.begin_write().await?;
        fill_ward(&mut tx, ward, years, last_year, volume, &mut rng).await?;
        tx.commit_with(
            AuditEvent::new(Entity::Ward, Some(ward.0), Action::Generate)
                .note(&format!("{years} năm dữ liệu mẫu")),
            ward,
            &Actor::system(),
        )
        .await
    }
}

/// The meta values every generated row carries.
struct Stamp {
    at: String,
    by: &'static str,
    window: Option<(String, String)>,
}

impl Stamp {
    /// Whether a generated date falls in the window (always, without one).
    fn keeps(&self, date: &str) -> bool {
        self.window
            .as_ref()
            .is_none_or(|(a, b)| a.as_str() <= date && date <= b.as_str())
    }
}

/// One ward's registers, then each year's activities, in a fixed order (the random
/// sequence, hence the output, depends on it).
async fn fill_ward(
    c: &mut AnyConnection,
    ward: WardId,
    years: u32,
    last_year: i32,
    v: Volume,
    rng: &mut Rng,
) -> Result<()> {
    let stamp = Stamp {
        at: now(),
        by: "generator",
        window: v.window.map(|(a, b)| (dates::iso(a), dates::iso(b))),
    };
    let first = last_year - years as i32 + 1;
    // A ward that has groups (a merger's successor that took them over) keeps them.
    let existing: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM residential_groups WHERE ward_id = $1 AND deleted_at IS NULL ORDER BY number",
    )
    .bind(ward.0)
    .fetch_all(&mut *c)
    .await?;
    let group_ids = if existing.is_empty() {
        insert_groups(c, ward, &stamp, v.groups, rng).await?
    } else {
        existing
    };
    for year in first..=last_year {
        insert_conferences(c, ward, &stamp, year, v.conferences, &group_ids, rng).await?;
        insert_publicity(c, ward, &stamp, year, v.publicity, rng).await?;
        insert_dialogues(c, ward, &stamp, year, last_year, v, rng).await?;
        insert_documents(c, ward, &stamp, year, v.documents, rng).await?;
        insert_inspections(c, ward, &stamp, year, v.inspections, rng).await?;
        insert_commendations(c, ward, &stamp, year, v.commendations, rng).await?;
    }
    crate::search::backfill(c).await?;
    Ok(())
}

/// Residential groups 1..=n; returns their ids.
async fn insert_groups(
    c: &mut AnyConnection,
    ward: WardId,
    s: &Stamp,
    count: u32,
    rng: &mut Rng,
) -> Result<Vec<i64>> {
    let mut group_ids = Vec::new();
    for n in 1..=count {
        let id = sqlx::query("INSERT INTO residential_groups (ward_id, number, name, households, residents, created_at, created_by, updated_at, updated_by, established) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
            .bind(ward.0)
            .bind(n as i64)
            .bind(format!("Tổ dân phố số {n}"))
            .bind(150 + rng.below(300) as i64)
            .bind(500 + rng.below(1500) as i64)
            .bind(&s.at)
            .bind(s.by)
            .bind(&s.at)
            .bind(s.by)
            .bind(s.window.as_ref().map(|w| w.0.clone()))
            .fetch_one(&mut *c)
            .await?
            .try_get::<i64, _>(0)?;
        group_ids.push(id);
    }
    Ok(group_ids)
}

async fn insert_conferences(
    c: &mut AnyConnection,
    ward: WardId,
    s: &Stamp,
    year: i32,
    n: u32,
    group_ids: &[i64],
    rng: &mut Rng,
) -> Result<()> {
    for _ in 0..n {
        let date = rng.date(year);
        if !s.keeps(&date) {
            continue;
        }
        sqlx::query("INSERT INTO conferences (ward_id, date, kind, title, attendees, residential_group_id, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, 'Hội nghị', $4, $5, $6, $7, $8, $9)")
            .bind(ward.0)
            .bind(date)
            .bind(rng.pick(ConferenceKind::ALL).code())
            .bind(20 + rng.below(380) as i64)
            .bind(rng.pick(group_ids))
            .bind(&s.at)
            .bind(s.by)
            .bind(&s.at)
            .bind(s.by)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

async fn insert_publicity(
    c: &mut AnyConnection,
    ward: WardId,
    s: &Stamp,
    year: i32,
    n: u32,
    rng: &mut Rng,
) -> Result<()> {
    for _ in 0..n {
        let date = rng.date(year);
        if !s.keeps(&date) {
            continue;
        }
        sqlx::query("INSERT INTO publicity (ward_id, date, channel, topic, count, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(ward.0)
            .bind(date)
            .bind(rng.pick(Channel::ALL).code())
            .bind(rng.pick(Topic::ALL).code())
            .bind(1 + rng.below(5) as i64)
            .bind(&s.at)
            .bind(s.by)
            .bind(&s.at)
            .bind(s.by)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Dialogues of the year, each with its opinions (three in four resolved by the end of
/// that year or the next, never after `last_year`).
async fn insert_dialogues(
    c: &mut AnyConnection,
    ward: WardId,
    s: &Stamp,
    year: i32,
    last_year: i32,
    v: Volume,
    rng: &mut Rng,
) -> Result<()> {
    for _ in 0..v.dialogues {
        let date = rng.date(year);
        if !s.keeps(&date) {
            continue;
        }
        let did = sqlx::query("INSERT INTO dialogues (ward_id, date, host, counterpart, participants, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, 'both', 'residents', $3, $4, $5, $6, $7) RETURNING id")
            .bind(ward.0)
            .bind(&date)
            .bind(30 + rng.below(200) as i64)
            .bind(&s.at)
            .bind(s.by)
            .bind(&s.at)
            .bind(s.by)
            .fetch_one(&mut *c)
            .await?
            .try_get::<i64, _>(0)?;
        for _ in 0..v.opinions_per_dialogue {
            let resolved = rng.below(4) != 0;
            let on = resolved
                .then(|| format!("{:04}-12-31", (year + rng.below(2) as i32).min(last_year)));
            sqlx::query("INSERT INTO opinions (ward_id, dialogue_id, content, response, status, resolved_on, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, 'Ý kiến', 'answered', $3, $4, $5, $6, $7, $8)")
                .bind(ward.0)
                .bind(did)
                .bind(if resolved { "resolved" } else { "open" })
                .bind(on)
                .bind(&s.at)
                .bind(s.by)
                .bind(&s.at)
                .bind(s.by)
                .execute(&mut *c)
                .await?;
        }
    }
    Ok(())
}

async fn insert_documents(
    c: &mut AnyConnection,
    ward: WardId,
    s: &Stamp,
    year: i32,
    n: u32,
    rng: &mut Rng,
) -> Result<()> {
    for i in 0..n {
        let date = rng.date(year);
        if !s.keeps(&date) {
            continue;
        }
        sqlx::query("INSERT INTO documents (ward_id, date, number, issuer, kind, title, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, 'party_committee', $4, 'Văn bản', $5, $6, $7, $8)")
            .bind(ward.0)
            .bind(date)
            .bind(format!("{}-QĐ/ĐU", i + 1))
            .bind(rng.pick(DocumentKind::ALL).code())
            .bind(&s.at)
            .bind(s.by)
            .bind(&s.at)
            .bind(s.by)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

async fn insert_inspections(
    c: &mut AnyConnection,
    ward: WardId,
    s: &Stamp,
    year: i32,
    n: u32,
    rng: &mut Rng,
) -> Result<()> {
    for _ in 0..n {
        let date = rng.date(year);
        if !s.keeps(&date) {
            continue;
        }
        sqlx::query("INSERT INTO inspections (ward_id, date, kind, target_kind, target, inspector, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, 'party_cell', 'Chi bộ', 'party_committee', $4, $5, $6, $7)")
            .bind(ward.0)
            .bind(date)
            .bind(rng.pick(InspectionKind::ALL).code())
            .bind(&s.at)
            .bind(s.by)
            .bind(&s.at)
            .bind(s.by)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

async fn insert_commendations(
    c: &mut AnyConnection,
    ward: WardId,
    s: &Stamp,
    year: i32,
    n: u32,
    rng: &mut Rng,
) -> Result<()> {
    for _ in 0..n {
        let date = rng.date(year);
        if !s.keeps(&date) {
            continue;
        }
        sqlx::query("INSERT INTO commendations (ward_id, date, level, recipient_kind, recipient, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, 'Chi bộ', $5, $6, $7, $8)")
            .bind(ward.0)
            .bind(date)
            .bind(rng.pick(CommendationLevel::ALL).code())
            .bind(rng.pick(RecipientKind::ALL).code())
            .bind(&s.at)
            .bind(s.by)
            .bind(&s.at)
            .bind(s.by)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}
