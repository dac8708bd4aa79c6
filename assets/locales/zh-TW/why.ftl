# 「為什麼」註解：令人意外的呼叫結果代表什麼、接下來該做什麼。訊息 id 與英文版相同
# （src/event/why.rs）；用語依 Socket 程式設計 HOWTO 的正體中文版。

## recv 回傳 0
why-eof = 對端不會再傳送任何資料；你仍然可以傳送
why-eof-after-our-shutdown = 對端不會再傳送任何資料，而我們也已關閉寫入：雙方都不再傳送

## WouldBlock（會阻塞）
why-would-block-recv = 現在沒有資料可讀：等 poll 回報可讀再讀
why-would-block-send = 傳送緩衝區已滿：等 poll 回報可寫再送
why-would-block-accept = 沒有等待 accept 的客戶端
why-would-block-splice = 現在沒有可搬移的資料：這個 socket 沒有資料可讀，或目的 socket 的傳送緩衝區已滿；等 poll 回報

## 部分與填滿的呼叫
why-partial-send = 核心只收下一部分：等可寫時再送出剩下的
# $max：這次 recv 所給的緩衝區大小（位元組）。
why-full-recv = 填滿了這次呼叫給的 { $max } 位元組緩衝區：可能還有資料在等著

## 新的 socket
why-accepted = 為這個客戶端建立的新 socket；監聽的 socket 繼續監聽

## shutdown、重置與 close
why-shutdown-write = 已送出 FIN：對端的 recv 會回傳 0；我們仍可讀取
why-shutdown-read = 我們停止讀取；對端不會被告知
why-shutdown-both = 已送出 FIN 並停止讀取；之後還要 close
why-reset = linger 設為 0 再 close：對端收到 RST，尚未送出的位元組會遺失
why-closed-by-reset = 被 RST 結束：傳輸中的位元組會遺失

## 失敗
why-error-refused = 那裡沒有人在監聽：SYN 換來 RST
why-error-timed-out = 逾時仍無回應：死掉的對端看起來就跟很慢的對端一樣
why-error-reset = 對端重置了連線（RST）
why-error-broken-pipe = 對端已經不在：在它 close 之後寫入會失敗
why-error-msg-size = 這個資料包比一次 send 能帶的還大：什麼都沒送出，socket 仍然開著
why-port-unreachable = 那個埠沒有人在監聽：先前的資料包換來 ICMP port unreachable

## 資料包
why-truncated = 資料包比緩衝區長：多出的部分遺失了，不會留給下一次 recvfrom

## socket 上的 TLS
why-tls-record-incomplete = 可讀，但還沒有明文：TLS 記錄不完整，其餘部分還在路上
why-tls-no-application-data = 這些記錄裡沒有應用資料（交握、session ticket）：還沒有東西可讀
why-tls-alert-fatal-peer = 對端的 TLS 放棄了：致命警示結束連線；說明寫了原因
why-tls-alert-fatal-local = 我們的 TLS 放棄了：致命警示結束連線；說明寫了原因
why-tls-alert-warning = 警告等級的警示：連線繼續
why-tls-close-notify-peer = 對端的 TLS 表示資料已全部送出：不同於單純的 TCP FIN，這個結束無法偽造
why-tls-close-notify-local = 我們在送出 FIN 之前告訴對端：不會再送資料
why-tls-fin-without-close-notify = 收到 TCP FIN 但之前沒有 close_notify：TLS 無法分辨這是正常結束還是連線被截斷

## 講義中每則註解前的標籤
why-label = 為什麼
