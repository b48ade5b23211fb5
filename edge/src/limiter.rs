//! The Limiter Durable Object: one per client IP address, counting what that address
//! may do that costs others (open visitor sessions and threads, try resume codes). Counts
//! are stored, so an evicted or restarted limiter remembers them.

use worker::{durable_object, Date, DurableObject, Env, Request, Response, Result, State};

use crate::buckets::Buckets;
use crate::clients::limiter::Counted;

#[durable_object]
pub struct Limiter {
    buckets: Buckets,
}

impl DurableObject for Limiter {
    fn new(state: State, _env: Env) -> Self {
        Limiter {
            buckets: Buckets::open(state.storage().sql()).expect("limiter schema"),
        }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        let Some(counted) = Counted::from_path(&req.path()) else {
            return Ok(Response::ok("unknown limit")?.with_status(404));
        };
        let now = Date::now().as_millis() as f64;
        let rate = counted.rate();
        match self.buckets.take(counted.name(), rate, now)? {
            Ok(()) => Response::ok("ok"),
            Err(wait_ms) => Ok(Response::ok(wait_ms.to_string())?.with_status(429)),
        }
    }
}
