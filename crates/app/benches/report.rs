//! The summary report over generated history (see docs/PERFORMANCE.md):
//! one busy ward × 21 years (~24,000 records), and one ward inside a database of
//! `QCDC_BENCH_WARDS` wards (default 126, ~3 million records). The databases are
//! generated once into `target/bench-data/` and reused. Then the city roll-up over
//! every ward of the larger database.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use domain::report::Grouping;
use store::{Store, WardId};

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data")
}

fn database(rt: &tokio::runtime::Runtime, name: &str, wards: u32) -> Store {
    let path = data_dir().join(name);
    rt.block_on(async {
        if !path.exists() {
            eprintln!("generating {} ({wards} wards × 21 years)…", path.display());
            let tmp = path.with_extension("tmp");
            let _ = std::fs::remove_file(&tmp);
            let s = Store::open(&tmp).await.expect("open");
            s.generate(wards, 21, 2018, Default::default())
                .await
                .expect("generate");
            s.close().await;
            std::fs::rename(&tmp, &path).expect("rename");
        }
        Store::open_existing(&path).await.expect("open")
    })
}

fn d(s: &str) -> Option<chrono::NaiveDate> {
    domain::dates::parse_date(s).ok()
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let wards: u32 = std::env::var("QCDC_BENCH_WARDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(126);
    let one = database(&rt, "one-ward.db", 1);
    let many = database(&rt, &format!("{wards}-wards.db"), wards);
    let mut g = c.benchmark_group("report");
    for (name, store, ward) in [
        ("one-ward db", &one, WardId(1)),
        ("one ward of many", &many, WardId(wards as i64 / 2)),
    ] {
        for by in [Grouping::Year, Grouping::Total] {
            g.bench_function(format!("{name}, 1998-2018 by {}", by.code()), |b| {
                b.iter(|| {
                    rt.block_on(app::report::build(
                        store,
                        ward,
                        d("1998-01-01"),
                        d("2018-12-31"),
                        by,
                    ))
                    .expect("report")
                })
            });
        }
    }
    g.bench_function("one-ward db, by year, CSV long", |b| {
        b.iter(|| {
            let r = rt
                .block_on(app::report::build(
                    &one,
                    WardId(1),
                    d("1998-01-01"),
                    d("2018-12-31"),
                    Grouping::Year,
                ))
                .expect("report");
            let mut out = Vec::with_capacity(64 * 1024);
            app::formats::csv::write_csv(&mut out, &r, app::formats::csv::Shape::Long, true)
                .expect("csv");
            out
        })
    });
    g.finish();

    // The city roll-up: every ward of the many-ward database, by year, as
    // `qcdc report --wards all` and `/reports/city` build it. Compare with the same
    // aggregates as raw SQL: `scripts/city_bench.py`.
    let all = rt.block_on(many.wards()).expect("wards");
    let mut g = c.benchmark_group("city");
    g.sample_size(10)
        .measurement_time(std::time::Duration::from_secs(20));
    g.bench_function(
        format!("roll-up of {wards} wards, 1998-2018 by year"),
        |b| {
            b.iter(|| {
                rt.block_on(app::report::build_city(
                    &many,
                    all.clone(),
                    d("1998-01-01"),
                    d("2018-12-31"),
                    Grouping::Year,
                ))
                .expect("roll-up")
            })
        },
    );
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
