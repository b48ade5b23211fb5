//! Keeping the site's inbox up to date, reliably and cheaply.
//!
//! Every change to the thread (a message, the agents' read marker) bumps `version` in the
//! same step that makes it. A sync reads the thread's state as of a version, sends it to
//! the inbox, and only then records that version as synced; while one is in flight, later
//! changes wait and go together in the next. A failed call is retried from the object's
//! alarm with growing pauses, and an alarm is also set with each change, so a runtime that
//! dies mid-sync still delivers. The inbox keeps the highest version it has seen, so a
//! repeat is harmless and nothing is counted twice.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use confab_protocol::backoff;
use confab_protocol::console::summary::Synced;
use confab_protocol::{ApiError, Author, SiteId};
use worker::{console_error, js_sys, Date, Env, Result, State, Stub};

use super::log::Log;
use super::wake::Wake;
use crate::clients::inbox::{self, ConversationUpdate};

/// The alarm that backs up every change, in case the runtime dies before the sync lands.
/// It rings once per busy stretch of this long, mostly to find nothing owed, so it is not
/// short: after a crash the inbox is exact again within it (or at the thread's next change).
const SAFETY_NET_MS: f64 = 30_000.0;

/// How long a sync waits for more changes before it sends: unnoticeable in the inbox, and
/// a busy thread sends one update for many messages.
const COALESCE_MS: u64 = 100;

/// Most message texts carried by one update.
const TEXTS_PER_UPDATE: u32 = 100;

#[derive(Clone)]
pub struct InboxSync {
    log: Log,
    wake: Wake,
    env: Env,
    /// The thread's version and how far the inbox has it, kept once read from `meta`.
    marks: Rc<Cell<Option<Marks>>>,
    running: Rc<Cell<bool>>,
    failures: Rc<Cell<u32>>,
    /// The site's inbox, looked up once per wake (again after a failed call).
    inbox: Rc<RefCell<Option<Rc<Stub>>>>,
}

#[derive(Clone, Copy)]
struct Marks {
    version: u64,
    synced: Synced,
}

impl InboxSync {
    pub fn new(log: Log, env: Env, wake: Wake) -> Self {
        InboxSync {
            log,
            wake,
            env,
            marks: Rc::new(Cell::new(None)),
            running: Rc::new(Cell::new(false)),
            failures: Rc::new(Cell::new(0)),
            inbox: Rc::new(RefCell::new(None)),
        }
    }

    /// Records a change in the current step and starts a sync after it.
    pub fn changed(&self, state: &State) {
        let bumped = self.marks().and_then(|marks| {
            let version = marks.version + 1;
            self.log.set_meta(&[("version", &version.to_string())])?;
            self.marks.set(Some(Marks { version, ..marks }));
            Ok(())
        });
        if let Err(e) = bumped {
            console_error!("inbox version not bumped: {e}");
        }
        self.arm_safety_net();
        self.start(state);
    }

    /// Whether the inbox is missing an update: asked by every alarm, so it builds none.
    pub fn owed(&self) -> bool {
        let owed = || -> Result<bool> {
            if self.log.identity()?.is_none() {
                return Ok(false);
            }
            let marks = self.marks()?;
            let last_seq = self.log.with_summary(|s| s.last_seq)?;
            Ok(last_seq > 0 && marks.synced.owes(marks.version, last_seq))
        };
        owed().unwrap_or(true)
    }

    /// Makes sure the alarm rings within `SAFETY_NET_MS`: one alarm covers every change
    /// before it, so a busy thread does not write an alarm per message.
    pub fn arm_safety_net(&self) {
        self.wake.by(Date::now().as_millis() as f64 + SAFETY_NET_MS);
    }

    /// Starts a sync unless one is already running (it will pick up what is new).
    pub fn start(&self, state: &State) {
        if self.running.replace(true) {
            return;
        }
        let sync = self.clone();
        state.wait_until(async move {
            sync.run().await;
            sync.running.set(false);
        });
    }

    async fn run(&self) {
        // A short pause first lets a burst of messages go to the inbox as one update.
        worker::Delay::from(std::time::Duration::from_millis(COALESCE_MS)).await;
        loop {
            let (update, synced) = match self.pending() {
                Ok(Some(pending)) => pending,
                Ok(None) => return,
                Err(e) => return console_error!("inbox update not built: {e}"),
            };
            let version = update.version;
            let through = update.texts.last().map(|(seq, _)| *seq).unwrap_or(synced);
            let answer = match self.inbox_stub(&update.site) {
                Ok(stub) => inbox::update(&stub, update).await,
                Err(error) => Err(error),
            };
            match answer {
                Ok(answer) => {
                    self.failures.set(0);
                    if let Some(away) = &answer.away {
                        if let Err(e) = super::away::owe(&self.log, &self.wake, away) {
                            console_error!("away reply not kept: {e}");
                        }
                    }
                    let synced = Synced {
                        version,
                        seq: through,
                    };
                    let stored = self.log.set_meta(&[
                        ("synced_version", &version.to_string()),
                        ("synced_seq", &through.to_string()),
                    ]);
                    if let (Ok(()), Ok(marks)) = (stored, self.marks()) {
                        self.marks.set(Some(Marks { synced, ..marks }));
                    }
                }
                Err(_) => {
                    // A stub that saw a failure may stay broken: the retry looks it up anew.
                    self.inbox.borrow_mut().take();
                    let attempt = self.failures.get();
                    self.failures.set(attempt + 1);
                    let wait = backoff::delay_ms(attempt, js_sys::Math::random()) as f64;
                    console_error!("inbox update failed, retrying in {wait} ms");
                    self.wake.by(Date::now().as_millis() as f64 + wait);
                    return;
                }
            }
        }
    }

    fn inbox_stub(&self, site: &SiteId) -> std::result::Result<Rc<Stub>, ApiError> {
        if let Some(stub) = self.inbox.borrow().as_ref() {
            return Ok(stub.clone());
        }
        let stub = Rc::new(inbox::stub(&self.env, site)?);
        *self.inbox.borrow_mut() = Some(stub.clone());
        Ok(stub)
    }

    /// The marks, read from `meta` once per wake.
    fn marks(&self) -> Result<Marks> {
        if let Some(marks) = self.marks.get() {
            return Ok(marks);
        }
        let rows = self
            .log
            .metas(&["version", "synced_version", "synced_seq"])?;
        let number = |k: &str| {
            rows.iter()
                .find(|m| m.key == k)
                .and_then(|m| m.value.parse::<u64>().ok())
                .unwrap_or(0)
        };
        let marks = Marks {
            version: number("version"),
            synced: Synced {
                version: number("synced_version"),
                seq: number("synced_seq"),
            },
        };
        self.marks.set(Some(marks));
        Ok(marks)
    }

    /// The update still owed to the inbox, with the last text seq it already has; `None`
    /// when the inbox is up to date (or the thread is not opened yet).
    fn pending(&self) -> Result<Option<(ConversationUpdate, u64)>> {
        let Some(identity) = self.log.identity()? else {
            return Ok(None);
        };
        let marks = self.marks()?;
        let summary = self.log.with_summary(Clone::clone)?;
        if !marks.synced.owes(marks.version, summary.last_seq) || summary.last_seq == 0 {
            return Ok(None);
        }
        let texts = if summary.last_seq > marks.synced.seq {
            self.log.texts_after(marks.synced.seq, TEXTS_PER_UPDATE)?
        } else {
            Vec::new()
        };
        let update = ConversationUpdate {
            conversation: identity.id,
            site: identity.owner.site,
            visitor: identity.owner.visitor,
            version: marks.version,
            last_seq: summary.last_seq,
            last_author: summary.last_author.unwrap_or(Author::System),
            unread: summary.unread(),
            preview: summary.preview,
            updated_at: summary.updated_at,
            started_at: summary.started_at.unwrap_or(summary.updated_at),
            visitor_last_seq: summary.visitor_last_seq,
            first_reply_at: summary.first_reply_at,
            context: self.log.context()?,
            rating: self.log.meta_json(super::rating::KEY)?,
            proactive: self.log.meta_json(super::proactive::KEY)?,
            texts,
        };
        Ok(Some((update, marks.synced.seq)))
    }
}
