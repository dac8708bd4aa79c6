//! A datagram socket's flows (one per peer) are listed right under it, in the order the rest
//! of the list has, whatever the sort: a flow is read as part of its socket. A flow whose
//! socket the filter hides keeps its sorted place.

use crate::event::ConnId;
use std::collections::{BTreeMap, HashSet};

/// Moves every flow in `ids` to just after its socket, keeping the order of both.
pub(super) fn nest_flows(ids: &mut Vec<ConnId>) {
    if ids.iter().all(|id| id.flow_parts().is_none()) {
        return;
    }
    let listed: HashSet<ConnId> =
        ids.iter().copied().filter(|id| id.flow_parts().is_none()).collect();
    let mut flows: BTreeMap<ConnId, Vec<ConnId>> = BTreeMap::new();
    for id in ids.iter() {
        if let Some((socket, _)) = id.flow_parts().filter(|(socket, _)| listed.contains(socket)) {
            flows.entry(socket).or_default().push(*id);
        }
    }
    let mut nested = Vec::with_capacity(ids.len());
    for &id in ids.iter() {
        match id.flow_parts() {
            Some((socket, _)) if listed.contains(&socket) => {}
            _ => nested.push(id),
        }
        if let Some(children) = flows.remove(&id) {
            nested.extend(children);
        }
    }
    *ids = nested;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows_follow_their_socket_in_the_list_order() {
        let flow = |socket, n| ConnId::flow(ConnId(socket), n).unwrap();
        let mut ids = vec![ConnId(3), flow(1, 2), ConnId(1), flow(1, 1), flow(9, 1), ConnId(2)];
        nest_flows(&mut ids);
        assert_eq!(ids, vec![ConnId(3), ConnId(1), flow(1, 2), flow(1, 1), flow(9, 1), ConnId(2)]);
    }
}
