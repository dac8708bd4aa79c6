//! Where the TLS records of the received wire bytes begin and end, so the model can tell a
//! `recv` that stopped inside a record (no plaintext can come of it yet) from one whose
//! records were whole.

/// Bytes of a TLS record header: content type, version (2), length (2).
const HEADER: usize = 5;

/// Walks the record headers of one direction's ciphertext as it arrives; O(bytes fed) and a
/// few bytes of state, whatever the stream's length.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RecordScan {
    /// The header being read (`have` bytes of it so far).
    header: [u8; HEADER],
    have: usize,
    /// Body bytes of the current record still to come.
    body_left: usize,
    /// Complete records seen.
    records: u64,
}

impl RecordScan {
    /// Follows `bytes`, the next bytes of the stream.
    pub(crate) fn feed(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            if self.body_left > 0 {
                let take = self.body_left.min(bytes.len());
                self.body_left -= take;
                bytes = &bytes[take..];
                if self.body_left == 0 {
                    self.records += 1;
                }
                continue;
            }
            let take = (HEADER - self.have).min(bytes.len());
            self.header[self.have..self.have + take].copy_from_slice(&bytes[..take]);
            self.have += take;
            bytes = &bytes[take..];
            if self.have == HEADER {
                self.have = 0;
                self.body_left = usize::from(u16::from_be_bytes([self.header[3], self.header[4]]));
                if self.body_left == 0 {
                    self.records += 1;
                }
            }
        }
    }

    /// The bytes so far end inside a record (its header or its body): the rest is still on
    /// its way, and TLS can decrypt nothing of it until it arrives.
    pub(crate) fn mid_record(&self) -> bool {
        self.have > 0 || self.body_left > 0
    }

    /// Complete records seen so far.
    pub(crate) fn records(&self) -> u64 {
        self.records
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An application-data record with a 3-byte body.
    const RECORD: [u8; 8] = [0x17, 0x03, 0x03, 0x00, 0x03, 1, 2, 3];

    #[test]
    fn whole_records_leave_nothing_pending() {
        let mut scan = RecordScan::default();
        scan.feed(&[RECORD, RECORD].concat());
        assert!(!scan.mid_record());
        assert_eq!(scan.records(), 2);
    }

    #[test]
    fn a_record_split_anywhere_is_pending_until_its_last_byte() {
        for cut in 1..RECORD.len() {
            let mut scan = RecordScan::default();
            scan.feed(&RECORD[..cut]);
            assert!(scan.mid_record(), "cut at {cut}");
            assert_eq!(scan.records(), 0);
            scan.feed(&RECORD[cut..]);
            assert!(!scan.mid_record(), "cut at {cut}");
            assert_eq!(scan.records(), 1);
        }
    }

    #[test]
    fn byte_by_byte_is_the_same_as_at_once() {
        let bytes = [RECORD.as_slice(), &[0x15, 0x03, 0x03, 0x00, 0x00], &RECORD[..6]].concat();
        let mut scan = RecordScan::default();
        for byte in &bytes {
            scan.feed(std::slice::from_ref(byte));
        }
        let mut at_once = RecordScan::default();
        at_once.feed(&bytes);
        assert_eq!(scan, at_once);
        assert!(scan.mid_record());
        assert_eq!(scan.records(), 2);
    }
}
