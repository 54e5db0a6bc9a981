/* The floor of a single-key round trip without any interpreter (benchmarks/bench_floor.py).

   replay_floor FRAMES COUNT FD0 [FD1 ...]

   FRAMES holds the captured W2 requests, one record each: u8 connection index, u32 frame
   length, the frame, u32 the length of its whole response frame.  The FDs are the
   handshaken sockets of the Python worker that captured them (inherited), in its order.
   Sends COUNT requests one at a time (cycling over the records), reads each whole
   response, then prints one JSON line: wall, user and system CPU seconds, and the number
   of responses whose length differed from the captured one (must be 0).  Built by
   bench_floor.py with the system's cc; not part of the package. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int fd;
    uint32_t len;
    uint32_t expect;
    char *frame;
} record;

static double seconds(struct timeval tv) { return tv.tv_sec + tv.tv_usec / 1e6; }

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: replay_floor FRAMES COUNT FD...\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    long count = atol(argv[2]);
    int nfds = argc - 3;
    record *recs = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        uint8_t idx;
        uint32_t len, expect;
        if (fread(&idx, 1, 1, f) != 1) break;
        if (fread(&len, 4, 1, f) != 1) return 2;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            recs = realloc(recs, cap * sizeof *recs);
        }
        recs[n].frame = malloc(len);
        if (fread(recs[n].frame, 1, len, f) != len || fread(&expect, 4, 1, f) != 1) return 2;
        if (idx >= nfds) return 2;
        recs[n].fd = atoi(argv[3 + idx]);
        recs[n].len = len;
        recs[n].expect = expect;
        n++;
    }
    fclose(f);
    if (n == 0) return 2;
    static char buf[1 << 16];
    long bad = 0;
    struct timespec t0, t1;
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < count; i++) {
        record *r = &recs[i % n];
        uint32_t sent = 0;
        while (sent < r->len) {
            ssize_t k = send(r->fd, r->frame + sent, r->len - sent, 0);
            if (k <= 0) {
                perror("send");
                return 1;
            }
            sent += k;
        }
        uint32_t got = 0, want = 4;
        while (got < want) {
            ssize_t k = recv(r->fd, buf, sizeof buf, 0);
            if (k <= 0) {
                perror("recv");
                return 1;
            }
            if (got == 0 && k >= 4) {
                int32_t body;
                memcpy(&body, buf, 4);
                want = 4 + (uint32_t)body;
            }
            got += k;
        }
        if (got != r->expect) bad++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    getrusage(RUSAGE_SELF, &r1);
    printf("{\"wall\": %.9f, \"user\": %.6f, \"sys\": %.6f, \"bad\": %ld}\n",
           (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
           seconds(r1.ru_utime) - seconds(r0.ru_utime), seconds(r1.ru_stime) - seconds(r0.ru_stime),
           bad);
    return 0;
}
