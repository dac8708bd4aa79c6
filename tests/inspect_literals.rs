//! The copy formats read back by the languages they are written for: every byte value in a
//! Python bytes literal evaluates to the same bytes in a real `python3`.

use sockscope::inspect::literal::Format;
use std::process::Command;

#[test]
fn python_reads_back_every_byte() {
    let bytes: Vec<u8> = (0..=255).collect();
    let literal = Format::Python.render(&bytes);
    let program = format!("import sys; sys.stdout.write({literal}.hex())");
    let output = Command::new("python3").arg("-c").arg(&program).output();
    let output = match output {
        Ok(output) => output,
        Err(err) if std::env::var_os("CI").is_none() => {
            eprintln!("SKIPPED: python3 is not available here ({err})");
            return;
        }
        Err(err) => panic!("python3 is required under CI: {err}"),
    };
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout), Format::Hex.render(&bytes));
}

#[test]
fn base64_and_hex_decode_back() {
    let bytes = b"\x00\x01hello\xff\xfe";
    assert_eq!(hex::decode(Format::Hex.render(bytes)).expect("hex"), bytes);
    let text = Format::Base64.render(bytes);
    let output = Command::new("python3")
        .arg("-c")
        .arg(format!("import base64,sys; sys.stdout.write(base64.b64decode('{text}').hex())"))
        .output();
    if let Ok(output) = output {
        assert_eq!(String::from_utf8_lossy(&output.stdout), hex::encode(bytes));
    }
}
