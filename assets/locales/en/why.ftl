# The "why" notes: what a surprising call result means and what to do next. One message per
# kind of result (src/event/why.rs names them); the Calls panel shows a note beside its call,
# a lesson's handout prints it under the call's line.

## recv returned 0
why-eof = the peer will send nothing more; you may still send
why-eof-after-our-shutdown = the peer will send nothing more, and we shut writing: neither side sends now

## WouldBlock
why-would-block-recv = nothing to read now: wait until poll says readable
why-would-block-send = send buffer full: wait until poll says writable
why-would-block-accept = no client is waiting to be accepted
why-would-block-splice = nothing to move now: this socket has no bytes to read, or the one they go to has a full send buffer; wait for poll

## Partial and full calls
why-partial-send = the kernel took only part: send the rest when writable
# $max: the size of the buffer this recv was given, in bytes.
why-full-recv = filled the { $max }-byte buffer this call was given: more may be waiting

## New sockets
why-accepted = a new socket for this client; the listener keeps listening

## Shutdown, reset and close
why-shutdown-write = FIN sent: the peer's recv returns 0; we can still read
why-shutdown-read = we stop reading; the peer is not told
why-shutdown-both = FIN sent and reading stopped; close still to come
why-reset = linger 0, then close: the peer gets RST, unsent bytes are lost
why-closed-by-reset = ended by RST: bytes in flight are lost

## Failures
why-error-refused = nothing listens there: RST for SYN
why-error-timed-out = no answer in time: a dead peer looks just like a slow one
why-error-reset = the peer reset the connection (RST)
why-error-broken-pipe = the peer is gone: writing after its close fails
why-error-msg-size = the datagram is larger than one send can carry: nothing was sent, the socket stays open
why-port-unreachable = nothing listens on that port: ICMP port unreachable came back for an earlier datagram

## Datagrams
why-truncated = the datagram was longer than the buffer: the rest is lost, not kept for the next recvfrom

## TLS on the socket
why-tls-record-incomplete = readable, but no plaintext yet: the TLS record is incomplete, its rest is still on the way
why-tls-no-application-data = these records held no application data (handshake, a session ticket): nothing to read yet
why-tls-alert-fatal-peer = the peer's TLS gave up: a fatal alert ends the connection; its description says why
why-tls-alert-fatal-local = our TLS gave up: a fatal alert ends the connection; its description says why
why-tls-alert-warning = a warning alert: the connection goes on
why-tls-close-notify-peer = the peer's TLS says it sent everything: unlike a bare TCP FIN, this end cannot be forged
why-tls-close-notify-local = we told the peer we send no more data, before our FIN
why-tls-fin-without-close-notify = TCP FIN with no close_notify first: TLS cannot tell this end from a connection cut short

## The handout's label before each note
why-label = why
