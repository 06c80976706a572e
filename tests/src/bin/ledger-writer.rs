//! Issues certificates one at a time into a ledger, for the concurrent-writer test:
//! `ledger-writer LEDGER OPERATOR COUNT`. Each certificate is its own transaction.

use std::sync::Arc;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, operator, count] = args.as_slice() else {
        eprintln!("usage: ledger-writer LEDGER OPERATOR COUNT");
        return std::process::ExitCode::from(2);
    };
    let Ok(count) = count.parse::<usize>() else {
        eprintln!("COUNT must be a number");
        return std::process::ExitCode::from(2);
    };
    let run = || -> dcc::Result<()> {
        let ledger = Arc::new(dcc::ledger::Ledger::open(target)?);
        let issuer = dcc::Issuer::demo().with_ledger(
            ledger,
            dcc::ledger::LedgerOptions {
                operator: operator.clone(),
                include_personal_data: false,
            },
        )?;
        let opts = dcc::IssueOptions {
            uvci_issuer: Some(format!("W{operator}")),
            ..Default::default()
        };
        for _ in 0..count {
            issuer.issue_value(&dcc_conformance::ledger_payload(), &opts)?;
        }
        Ok(())
    };
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ledger-writer: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
