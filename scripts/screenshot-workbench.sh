# The protocol workbench, sourced by scripts/screenshots.sh (it uses that script's start,
# wait_for and shot): curl through `sockscope proxy` to Python's http.server, with a `slice`
# fault on the requests.
#
#   follow.png     the follow view (F) of the first exchange: request above response
#   intercept.png  a second request held by `:intercept up re:^GET `, in the held list (H)
#
# The held request is then edited (`e`) and forwarded, so curl finishes.

mkdir -p "$work/www"
echo "hello from the server" >"$work/www/index.html"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
http_port=$(free_port)
python3 -m http.server "$http_port" --bind 127.0.0.1 --directory "$work/www" \
    >"$work/http.log" 2>&1 & pids+=($!)
deadline=$((SECONDS + 10))
until python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $http_port), 1)" 2>/dev/null; do
    ((SECONDS < deadline)) || die "the HTTP server did not start"
    sleep 0.05
done

wb_port=$(free_port)
start "exec '$bin' proxy 127.0.0.1:$wb_port 127.0.0.1:$http_port --framing line --fault up:slice=16 2>'$work/wb.err'"
wait_for '#1 listening'
curl -s -m 20 -o /dev/null "http://127.0.0.1:$wb_port/" || die "curl through the proxy failed"
wait_for '#2 ' 'closed'
tm send-keys -t "$sess" j
tm send-keys -t "$sess" F
wait_for 'GET / HTTP/1.1' 'HTTP/1.0 200 OK'
shot follow 'GET / HTTP/1.1' 'HTTP/1.0 200 OK'

# Back to the main view and to the listener (#1): an intercept set there holds every pair
# it accepts from then on.
# (Escape then a key at once would read as Alt and the key: wait for the main view first.)
tm send-keys -t "$sess" Escape
wait_for '┌ Connections'
tm send-keys -t "$sess" -l ':select 1'
tm send-keys -t "$sess" Enter
tm send-keys -t "$sess" -l ':intercept up re:^GET '
tm send-keys -t "$sess" Enter
wait_for 'INTERCEPT'
curl -s -m 30 -o "$work/curl2.out" "http://127.0.0.1:$wb_port/secret" & curl_pid=$!
pids+=("$curl_pid")
wait_for --secs 20 '1 held'
tm send-keys -t "$sess" H
wait_for 'GET /secret'
shot intercept 'GET /secret'

tm send-keys -t "$sess" e
tm send-keys -t "$sess" C-u
tm send-keys -t "$sess" -l 'GET /index.html HTTP/1.1\r\n'
tm send-keys -t "$sess" Enter
wait "$curl_pid" || die "the edited request did not complete"
grep -q 'hello from the server' "$work/curl2.out" || die "the edited request did not reach index.html"
