"""The local gateway keeps answering under a burst of simultaneous connections (its listen
backlog used to be 5: 16 connections at once sometimes got a reset)."""
import socket
import threading


def test_sixty_four_connections_at_once_are_all_answered(base_url):
    host, port = base_url.removeprefix("http://").split(":")
    answers, barrier = [], threading.Barrier(64)

    def one():
        barrier.wait()
        with socket.create_connection((host, int(port)), timeout=30) as conn:
            conn.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answers.append(conn.recv(64).split(b"\r\n")[0])

    threads = [threading.Thread(target=one) for _ in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == [b"HTTP/1.1 200 OK"] * 64
