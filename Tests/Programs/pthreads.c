// pthreads: 8 threads — create/join, a mutex-protected counter, a condition variable hand-off
// and a barrier; the output does not depend on the interleaving.
#include <pthread.h>
#include <stdio.h>

enum { THREADS = 8, ROUNDS = 20000 };
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t barrier;
static long counter;
static int turn;
static int order[THREADS];
static int order_n;

static void *worker(void *arg) {
    int id = (int)(long)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    pthread_barrier_wait(&barrier);
    // Take turns in id order through the condition variable.
    pthread_mutex_lock(&lock);
    while (turn != id) pthread_cond_wait(&turn_cv, &lock);
    order[order_n++] = id;
    turn++;
    pthread_cond_broadcast(&turn_cv);
    pthread_mutex_unlock(&lock);
    return (void *)(long)(id * 10);
}

int main(void) {
    pthread_t t[THREADS];
    pthread_barrier_init(&barrier, NULL, THREADS);
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    long sum = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (long)r;
    }
    printf("counter %ld (expected %d)\n", counter, THREADS * ROUNDS);
    printf("join values sum %ld\n", sum);
    printf("order:");
    for (int i = 0; i < order_n; i++) printf(" %d", order[i]);
    printf("\n");
    return counter == THREADS * ROUNDS ? 0 : 1;
}
