//! When to try reconnecting: exponential backoff with jitter, so that a thousand widgets
//! cut off by the same outage do not all come back in the same second.

/// First retry after about this long.
pub const BASE_MS: u64 = 500;
/// Never wait longer than this between tries.
pub const MAX_MS: u64 = 30_000;

/// The wait before try number `attempt` (0 for the first retry), given `random` in [0, 1):
/// between half and all of `BASE_MS * 2^attempt`, capped at `MAX_MS`.
pub fn delay_ms(attempt: u32, random: f64) -> u64 {
    let ceiling = BASE_MS.saturating_mul(1u64 << attempt.min(20)).min(MAX_MS);
    let random = random.clamp(0.0, 1.0);
    ceiling / 2 + ((ceiling / 2) as f64 * random) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn grows_then_caps() {
        assert_eq!(delay_ms(0, 0.0), 250);
        assert_eq!(delay_ms(0, 0.999_999), 499);
        assert_eq!(delay_ms(3, 0.0), 2_000);
        assert_eq!(delay_ms(50, 0.0), MAX_MS / 2);
    }

    proptest! {
        #[test]
        fn always_within_bounds(attempt in 0u32..100, random in 0.0f64..1.0) {
            let d = delay_ms(attempt, random);
            prop_assert!((BASE_MS / 2..=MAX_MS).contains(&d));
        }
    }
}
