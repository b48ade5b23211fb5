//! A 10 MB photo uploaded, beside a floor measured in the same run: the same bytes refused
//! by their kind, which the Worker reads whole and stores nowhere. The difference is what
//! keeping a file costs (the object in R2, its checks).

use std::time::Instant;

use confab_tests::api::Api;
use confab_tests::runtime::Runtime;
use reqwest::Method;

const MB: usize = 1024 * 1024;
const ROUNDS: usize = 5;

/// Seconds for each of `ROUNDS` uploads of `bytes`, asserting the status expected.
async fn timed(api: &Api, token: &str, bytes: &[u8], status: u16) -> Vec<f64> {
    let mut seconds = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let path = "/api/files?name=photo.jpg";
        let answer = api
            .request(Method::POST, path, Some(token), Some(bytes.to_vec()))
            .await;
        seconds.push(started.elapsed().as_secs_f64());
        assert_eq!(answer.status, status, "{}", answer.body);
    }
    seconds.sort_by(f64::total_cmp);
    seconds
}

pub async fn run(runtime: &Runtime) {
    let api = Api::new(&runtime.base_url());
    let token = api.new_visitor().await;
    // A JPEG's first bytes, then 10 MB in all (the most a file may be).
    let mut photo = vec![0u8; 10 * MB];
    photo[..4].copy_from_slice(b"\xFF\xD8\xFF\xE0");
    let mut forged = photo.clone();
    forged[..4].copy_from_slice(b"<htm");
    // Each upload is a new file: the thread's room is not involved.
    let floor = timed(&api, &token, &forged, 415).await;
    let stored = timed(&api, &token, &photo, 201).await;
    let median = |s: &[f64]| s[s.len() / 2];
    let rate = |s: f64| 10.0 / s;
    println!("\nupload of 10 MB, median of {ROUNDS}");
    println!("{:<36} {:>10} {:>10}", "", "seconds", "MB/s");
    let floor_s = median(&floor);
    let stored_s = median(&stored);
    println!(
        "{:<36} {:>10.3} {:>10.1}",
        "floor: read whole, refused",
        floor_s,
        rate(floor_s)
    );
    println!(
        "{:<36} {:>10.3} {:>10.1}",
        "stored in R2",
        stored_s,
        rate(stored_s)
    );
    println!("ratio to the floor: {:.2}", stored_s / floor_s);
}
