//! The object's one alarm, shared by the parts that need waking: the inbox sync's safety
//! net and the reach ladder. Each asks to be woken by some time; until it rings, the alarm
//! only ever moves earlier. When it rings, every part asks again for what it still needs,
//! so a part woken early loses nothing and none is woken late.

use std::cell::Cell;
use std::rc::Rc;

use worker::worker_sys::DurableObjectStorage;
use worker::{Date, State};

#[derive(Clone)]
pub struct Wake {
    storage: Rc<Option<DurableObjectStorage>>,
    /// When the alarm set last rings (0 when none is known to be set).
    armed_at: Rc<Cell<f64>>,
}

impl Wake {
    pub fn new(state: &State) -> Self {
        Wake {
            storage: Rc::new(crate::objects::raw_storage(state)),
            armed_at: Rc::new(Cell::new(0.0)),
        }
    }

    /// Makes sure the alarm rings by `at_ms`; a write only when that moves it earlier.
    pub fn by(&self, at_ms: f64) {
        let armed = self.armed_at.get();
        if armed > Date::now().as_millis() as f64 && armed <= at_ms {
            return;
        }
        self.armed_at.set(at_ms);
        if let Some(storage) = self.storage.as_ref() {
            crate::objects::arm_alarm(storage, at_ms);
        }
    }

    /// The alarm rang: nothing is set until someone asks again.
    pub fn rang(&self) {
        self.armed_at.set(0.0);
    }
}
