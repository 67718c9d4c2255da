/* false_sharing: four threads each add to their own counter, either packed into one cache
 * line ("packed": false sharing) or each on a line of its own ("padded"). Both variants give the
 * same sums; under `k42sim run --config ... --cpus 4` the packed one makes the caches trade the
 * line back and forth, which the coherence statistics show. A barrier starts the loops together. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define THREADS 4
#define ITERATIONS 20000

static struct { volatile unsigned long n; } packed[THREADS] __attribute__((aligned(256)));
static struct { volatile unsigned long n; char pad[256 - sizeof(unsigned long)]; } padded[THREADS] __attribute__((aligned(256)));
static pthread_barrier_t start;
static int use_padded;

static void *work(void *arg) {
    long id = (long)arg;
    volatile unsigned long *c = use_padded ? &padded[id].n : &packed[id].n;
    pthread_barrier_wait(&start);
    for (int i = 0; i < ITERATIONS * (id + 1); i++) *c += 1;
    return 0;
}

int main(int argc, char **argv) {
    use_padded = argc > 1 && strcmp(argv[1], "padded") == 0;
    pthread_t t[THREADS];
    pthread_barrier_init(&start, 0, THREADS);
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], 0, work, (void *)i);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], 0);
    unsigned long total = 0;
    for (int i = 0; i < THREADS; i++) total += use_padded ? padded[i].n : packed[i].n;
    printf("%s: total %lu\n", use_padded ? "padded" : "packed", total);
    return 0;
}
