//! A 10 MB photo uploaded, beside a floor measured in the same run: the same bytes refused
//! by their kind, which the Worker reads whole and stores nowhere. The difference is what
//! keeping a file costs (its metadata stripped, the object in R2, its checks).

use std::time::Instant;

use confab_tests::api::Api;
use confab_tests::runtime::Runtime;
use reqwest::Method;

const MB: usize = 1024 * 1024;
const ROUNDS: usize = 5;

/// Seconds for each of `ROUNDS` uploads of `bytes`, asserting the status expected.
async fn timed(api: &Api, token: &str, name: &str, bytes: &[u8], status: u16) -> Vec<f64> {
    let mut seconds = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let path = format!("/api/files?name={name}");
        let path = path.as_str();
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
    // A phone photo's segments and metadata (camera, place), its picture data drawn out
    // to 10 MB in all (the most a file may be): what the Worker takes apart to strip.
    let tagged = include_bytes!("../../../../edge/src/photos/tagged.jpg");
    let end = tagged.len() - 2;
    assert_eq!(
        &tagged[end..],
        b"\xFF\xD9",
        "a JPEG ends with its EOI marker"
    );
    let mut photo = tagged[..end].to_vec();
    photo.resize(10 * MB - 2, 0);
    photo.extend_from_slice(b"\xFF\xD9");
    let mut forged = photo.clone();
    forged[..4].copy_from_slice(b"<htm");
    // Each upload is a new file: the thread's room is not involved.
    // A document of the same size, stored as it is: the photo's difference to it is what
    // stripping costs.
    let mut document = vec![0u8; 10 * MB];
    document[..8].copy_from_slice(b"%PDF-1.4");
    let floor = timed(&api, &token, "photo.jpg", &forged, 415).await;
    let stored = timed(&api, &token, "photo.jpg", &photo, 201).await;
    let kept = timed(&api, &token, "document.pdf", &document, 201).await;
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
    let kept_s = median(&kept);
    println!(
        "{:<36} {:>10.3} {:>10.1}",
        "a PDF stored as it is",
        kept_s,
        rate(kept_s)
    );
    println!(
        "ratio to the floor: photo {:.2}, PDF {:.2}",
        stored_s / floor_s,
        kept_s / floor_s
    );
}
