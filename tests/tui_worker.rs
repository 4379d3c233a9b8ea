//! The interface's worker against a real server over its socket: requests
//! sent together are pipelined on one connection and answered in the
//! order asked, a write between two reads included.

mod common;
mod live;

use std::sync::mpsc;
use std::time::Duration;

use banca::api::{Reply, Request};
use banca::i18n::Lang;
use banca::tui::{Job, Replied, ServerSource, Worker};
use common::*;
use live::{as_root, saved, Place, UnixAccounts};

#[test]
fn requests_sent_together_are_answered_in_order_on_one_connection() {
    if !as_root() {
        eprintln!("skipped: needs root for the server's group");
        return;
    }
    let _accounts = UnixAccounts::create("tu_pipe", &[]);
    let place = Place::new();
    let _server = place.start("tu_pipe", &[]);
    let mut admin = place.client();
    saved(&mut admin, Request::Init { admin: None });
    saved(&mut admin, Request::AmbitSave { input: bergamo_ambit(), base_revision: None });
    saved(&mut admin, Request::ServiceCreate { input: service_input(S1_NAME, DALMINE_AMBIT) });

    let source = ServerSource::connect(place.target(), Lang::It).expect("the interface connects");
    let (tx, rx) = mpsc::channel::<Replied>();
    let worker = Worker::spawn(Box::new(source), tx);
    let list = || Request::ServiceList { after: None, limit: None };
    let jobs = [
        list(),
        Request::ServiceCreate { input: service_input(S2_NAME, BERGAMO_AMBIT) },
        list(),
        Request::ServiceGet { code: S2 },
    ];
    for (id, request) in (10..).zip(jobs) {
        assert!(worker.send(Job { id, request }));
    }
    let replies: Vec<Replied> =
        (0..4).map(|_| rx.recv_timeout(Duration::from_secs(30)).expect("every request is answered")).collect();
    assert_eq!(replies.iter().map(|r| r.id).collect::<Vec<_>>(), vec![10, 11, 12, 13], "answers in the order asked");
    assert!(replies.iter().all(|r| r.connected));
    let names = |r: &Replied| match &r.result {
        Ok(Reply::Services(page)) => page.items.iter().map(|s| s.record.details.name.clone()).collect::<Vec<_>>(),
        other => panic!("a list of services, got {other:?}"),
    };
    assert_eq!(names(&replies[0]), vec![S1_NAME.to_string()], "the list asked before the write");
    assert!(matches!(&replies[1].result, Ok(Reply::Saved(s)) if s.code == S2.to_string()), "{:?}", replies[1]);
    assert_eq!(names(&replies[2]), vec![S1_NAME.to_string(), S2_NAME.to_string()], "the list asked after it");
    assert!(matches!(&replies[3].result, Ok(Reply::Service(s)) if s.record.details.name == S2_NAME));

    // The client under the worker: all sent before any answer is read, answers in order.
    let answers = admin.call_many(vec![
        list(),
        Request::ServiceCreate { input: service_input("Consultorio Familiare di Prova", BERGAMO_AMBIT) },
        list(),
    ]);
    let counts: Vec<usize> = answers
        .iter()
        .map(|a| match a {
            Ok(Ok(Reply::Services(page))) => page.items.len(),
            Ok(Ok(Reply::Saved(_))) => 0,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(counts, vec![2, 0, 3]);
}
