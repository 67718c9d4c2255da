// recursion.c: deep and wide recursion: Ackermann A(2,n) and A(3,5), a 100000-deep
// non-tail recursion with a live stack slot in every frame (needs ~6.4 MiB of stack on
// ppc64le, ~4.8 MiB on mips64el; the default 8 MiB stack suffices),
// mutual recursion, naive Fibonacci, and recursive Tower of Hanoi move counting.
#include <stdio.h>

__attribute__((noinline)) static unsigned long ack(unsigned long m, unsigned long n) {
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

__attribute__((noinline)) static unsigned long deep(unsigned long n) {
    volatile unsigned long local = n * 2654435761u;  // a live stack slot in every frame
    if (n == 0) return 1;
    unsigned long r = deep(n - 1);
    return r * 31 + local + (n & 7);
}

static int is_odd(unsigned n);
__attribute__((noinline)) static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
__attribute__((noinline)) static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

__attribute__((noinline)) static unsigned long fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static unsigned long moves;
__attribute__((noinline)) static void hanoi(int n, int from, int to, int via) {
    if (n == 0) return;
    hanoi(n - 1, from, via, to);
    moves += (unsigned long)(from * 3 + to);
    hanoi(n - 1, via, to, from);
}

int main(void) {
    for (unsigned long n = 0; n < 6; n++) printf("A(2,%lu)=%lu ", n, ack(2, n));
    printf("\nA(3,5)=%lu\n", ack(3, 5));
    printf("deep(100000)=%016lx\n", deep(100000));
    printf("even(20001)=%d odd(30001)=%d\n", is_even(20001), is_odd(30001));
    printf("fib(21)=%lu\n", fib(21));
    hanoi(13, 0, 2, 1);
    printf("hanoi moves weight=%lu\n", moves);
    return 0;
}
