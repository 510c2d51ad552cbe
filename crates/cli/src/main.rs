//! The `corroborate` command: a thin shell over the `corroborate` library.

fn main() {
    let analysis = corroborate::analyze(
        &std::env::args().skip(1).collect::<Vec<_>>(),
        &corroborate::Config::default(),
    );
    print!(
        "{}",
        corroborate::report::text(&analysis, &Default::default())
    );
}
