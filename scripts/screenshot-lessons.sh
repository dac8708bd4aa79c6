# Sourced by scripts/screenshots.sh (which defines start, shot, wait_for, focus and tm): one
# screenshot per lesson, screenshots/demo-NAME.png, and the picker over one of them.
#
# Each is taken when the screen shows what its lesson is about; the patterns after a shot's
# name are checked again on the captured screen. Patterns match what only a panel shows (the
# lesson's own text names the same things).

# Types the command line $1 (without the colon) and runs it.
run_command() {
    tm send-keys -t "$sess" :
    wait_for '^:'
    tm send-keys -t "$sess" -l "$1"
    tm send-keys -t "$sess" Enter
}

# Starts lesson $1 and waits for its panels and its lesson text (the border holds its name).
lesson() {
    start "exec '$bin' demo $1 2>'$work/$1.err'"
    wait_for ' AUTO ' "┌ $1[: ]"
}

# echo: the listener and, for each client, its own socket and the one accept made for it.
lesson echo
wait_for '#5 +open' 'hello from the second'
shot demo-echo '#1 +listening' '#5 +open' 'accepted by #1'

# The picker over it: the running lesson marked, another one highlighted.
tm send-keys -t "$sess" D
wait_for 'Demo scenarios' '> echo +\(running\)'
tm send-keys -t "$sess" j
wait_for '> partial-recv '
shot picker 'Demo scenarios' '> partial-recv ' 'echo +\(running\)'

# partial-recv: recv(5) after recv(5), and half a line waiting for its newline.
lesson partial-recv
wait_for 'recv\(5\) -> 5' 'partial: [0-9]+ bytes'
shot demo-partial-recv 'recv\(5\) -> 5' 'partial: [0-9]+ bytes'

# partial-send: the client (#2) sent part of 64 KiB, then its send would block.
lesson partial-send
wait_for '#3 +open'
tm send-keys -t "$sess" k
wait_for '#2 outgoing'
wait_for 'send 65536 -> [0-9]+ \(partial\)' 'send -> WouldBlock'
shot demo-partial-send '#2 outgoing' 'send -> WouldBlock'

# framing: the len:u16be connection (#9) in hex: two messages and the third one's start.
lesson framing
wait_for '#11 +open'
run_command 'select 9'
wait_for '#9 accepted'
focus Data
tm send-keys -t "$sess" x
wait_for 'Data \(hex\)'
focus Messages
tm send-keys -t "$sess" Home
wait_for 'framing len:u16be' '< in · 2 complete messages' 'partial: [0-9]+ of' '05 61 6c 70'
shot demo-framing '< in · 2 complete messages' 'partial: [0-9]+ of' 'Data \(hex\)'

# byte-order: the four integers the client (#2) received, in hex, and read both ways.
lesson byte-order
wait_for '#3 +open'
run_command 'select 2'
wait_for '#2 outgoing'
focus Data
tm send-keys -t "$sess" x
wait_for 'Data \(hex\)' 'a8 00 01\|ff ff ff fe'
shot demo-byte-order 'a8 00 01\|ff ff ff fe' 'u32 +1 +16777216'

# eof-and-shutdown: the server got EOF (read-closed) and still sends its reply.
lesson eof-and-shutdown
wait_for 'send 68 -> 68' '#2 +write-closed' '#3 +read-closed'
shot demo-eof-and-shutdown 'send 68 -> 68' '#2 +write-closed' '#3 +read-closed'

# select: rounds with several sockets readable at once, then a reset: epoll's err edge, and
# the socket readable in select()'s view.
lesson select
wait_for --secs 30 'err [0-9]' 'reset'
shot demo-select 'err [0-9]' 'select\(\) read [0-9]'

# dead-peer: the client (#2) gives up waiting for the pong that never comes.
lesson dead-peer
wait_for '#3 +open'
tm send-keys -t "$sess" k
wait_for '#2 outgoing'
wait_for --secs 40 'idle -> timed_out'
shot demo-dead-peer '#2 outgoing' 'idle -> timed_out' 'close \(error\)'

# The presentation layout at a projector's 100x30: partial-recv with --present, high contrast
# and the key overlay on, stepped (P, then Space one round at a time) until the server's
# recv(5) calls have read the first bytes of a line.
saved_cols=$COLS saved_rows=$ROWS
COLS=100 ROWS=30
start "exec '$bin' demo partial-recv --present 2>'$work/present.err'"
wait_for ' AUTO ' '┌ partial-recv'
tm send-keys -t "$sess" F3 F2 P
wait_for 'STEP: Space'
for _ in $(seq 40); do
    screen | grep -Eq 'recv\(5\) -> 5' && break
    tm send-keys -t "$sess" Space
    sleep 0.3
done
wait_for 'recv\(5\) -> 5'
shot demo-present 'select\(\) read' 'exceptional' 'Space ×[0-9]+' '┌ Calls'
COLS=$saved_cols ROWS=$saved_rows
