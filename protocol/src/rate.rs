//! Token buckets: a burst is allowed, a sustained flood is not.

/// How much a caller may do: `burst` at once, then `per_second`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    pub burst: f64,
    pub per_second: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bucket {
    tokens: f64,
    last_ms: f64,
}

impl Bucket {
    /// A full bucket.
    pub fn new(rate: Rate, now_ms: f64) -> Self {
        Bucket {
            tokens: rate.burst,
            last_ms: now_ms,
        }
    }

    /// A bucket as stored: its tokens and when they were counted.
    pub fn from_parts(tokens: f64, last_ms: f64) -> Self {
        Bucket { tokens, last_ms }
    }

    pub fn tokens(&self) -> f64 {
        self.tokens
    }

    pub fn last_ms(&self) -> f64 {
        self.last_ms
    }

    /// When the bucket is full again: from then on, it need not be kept.
    pub fn full_at_ms(&self, rate: Rate) -> f64 {
        self.last_ms + (rate.burst - self.tokens).max(0.0) / rate.per_second * 1000.0
    }

    /// Whether a token could be taken now, without taking it.
    pub fn peek(&self, rate: Rate, now_ms: f64) -> Result<(), u64> {
        let mut copy = *self;
        copy.take(rate, now_ms)
    }

    /// Takes one token, or says how many milliseconds until one is there.
    pub fn take(&mut self, rate: Rate, now_ms: f64) -> Result<(), u64> {
        let elapsed = (now_ms - self.last_ms).max(0.0) / 1000.0;
        self.tokens = (self.tokens + elapsed * rate.per_second).min(rate.burst);
        self.last_ms = now_ms.max(self.last_ms);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err((((1.0 - self.tokens) / rate.per_second) * 1000.0).ceil() as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const RATE: Rate = Rate {
        burst: 3.0,
        per_second: 2.0,
    };

    #[test]
    fn a_burst_then_the_rate() {
        let mut bucket = Bucket::new(RATE, 0.0);
        for _ in 0..3 {
            assert_eq!(bucket.take(RATE, 0.0), Ok(()));
        }
        assert_eq!(bucket.take(RATE, 0.0), Err(500));
        assert_eq!(bucket.take(RATE, 499.0), Err(2));
        assert_eq!(bucket.take(RATE, 500.0), Ok(()));
        // A long pause refills only up to the burst.
        for _ in 0..3 {
            assert_eq!(bucket.take(RATE, 100_000.0), Ok(()));
        }
        assert!(bucket.take(RATE, 100_000.0).is_err());
    }

    #[test]
    fn a_bucket_is_full_again_when_its_tokens_come_back() {
        let mut bucket = Bucket::new(RATE, 1000.0);
        assert_eq!(bucket.full_at_ms(RATE), 1000.0);
        bucket.take(RATE, 1000.0).unwrap();
        bucket.take(RATE, 1000.0).unwrap();
        assert_eq!(bucket.full_at_ms(RATE), 2000.0);
        let stored = Bucket::from_parts(bucket.tokens(), bucket.last_ms());
        assert_eq!(stored, bucket);
        assert_eq!(stored.peek(RATE, 1000.0), Ok(()));
        assert_eq!(stored, bucket, "peeking takes nothing");
    }

    proptest! {
        #[test]
        fn never_more_than_burst_plus_rate(steps in proptest::collection::vec(0.0f64..2000.0, 1..200)) {
            let mut bucket = Bucket::new(RATE, 0.0);
            let mut now = 0.0;
            let mut taken = 0.0;
            for step in steps {
                now += step;
                if bucket.take(RATE, now).is_ok() {
                    taken += 1.0;
                }
            }
            prop_assert!(taken <= RATE.burst + now / 1000.0 * RATE.per_second + 1e-9);
        }
    }
}
