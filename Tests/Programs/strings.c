// strings.c: string.h routines (strlen/strcmp/strncmp/strchr/strrchr/strstr/memcmp/memmove
// with overlap/memset/strtok/strspn/strcspn), qsort of ints, strings and structs, bsearch,
// strtol/strtoul/strtoll/strtod with bases and error handling (errno), snprintf truncation
// and integer formatting (%d %x %o %lld %zu %*d %-s %c %%), atoi, toupper, sscanf.
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}
struct rec { int key; char name[12]; };
static int cmp_rec(const void *a, const void *b) {
    const struct rec *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return strcmp(x->name, y->name);
}
static int sgn(int v) { return (v > 0) - (v < 0); }

int main(void) {
    char buf[256];
    const char *s = "The quick brown fox jumps over the lazy dog";
    printf("len=%zu chr=%s rchr=%s str=%s\n", strlen(s), strchr(s, 'q'), strrchr(s, 'o'),
           strstr(s, "lazy"));
    printf("cmp %d %d %d %d %d\n", sgn(strcmp("abc", "abd")), sgn(strcmp("abc", "abc")),
           sgn(strncmp("abcdef", "abcxyz", 3)), sgn(memcmp("\x01\xff", "\x01\x7f", 2)),
           sgn(strcmp("a", "")));
    printf("spn %zu cspn %zu\n", strspn("aaabbbccc", "ab"), strcspn("hello, world", ",;"));
    strcpy(buf, "0123456789abcdefghij");
    memmove(buf + 3, buf, 10);
    printf("memmove fwd %s\n", buf);
    memmove(buf, buf + 5, 10);
    printf("memmove back %s\n", buf);
    memset(buf, 'x', 7); buf[7] = 0;
    strcat(buf, "-tail");
    printf("memset+cat %s\n", buf);
    char tok[] = "alpha, beta;gamma  delta,,epsilon";
    for (char *t = strtok(tok, ",; "); t; t = strtok(NULL, ",; ")) printf("[%s]", t);
    printf("\n");
    for (char *p = buf; *p; p++) *p = (char)toupper((unsigned char)*p);
    printf("upper %s\n", buf);
    // Unaligned/odd-length memcpy and memcmp across sizes.
    unsigned char src[300], dst[300];
    for (int i = 0; i < 300; i++) src[i] = (unsigned char)(i * 7 + 3);
    unsigned sum = 0;
    for (int off = 0; off < 9; off++)
        for (int len = 0; len < 70; len += 3) {
            memset(dst, 0, sizeof dst);
            memcpy(dst + off, src + (8 - off), len);
            for (int i = 0; i < 100; i++) sum = sum * 33 + dst[i];
            sum += (unsigned)sgn(memcmp(dst + off, src + (8 - off), len)) + 7;
        }
    printf("memcpy sum %08x\n", sum);

    // qsort / bsearch.
    int arr[200];
    unsigned x = 12345;
    for (int i = 0; i < 200; i++) { x = x * 1103515245u + 12345u; arr[i] = (int)(x >> 8) % 1000 - 500; }
    qsort(arr, 200, sizeof arr[0], cmp_int);
    for (int i = 0; i < 200; i += 20) printf("%d ", arr[i]);
    printf("\n");
    int key = arr[137];
    int *found = bsearch(&key, arr, 200, sizeof arr[0], cmp_int);
    int missing = 100000;
    printf("bsearch found=%d value=%d missing=%d\n", found != NULL, found ? *found : 0,
           bsearch(&missing, arr, 200, sizeof arr[0], cmp_int) != NULL);
    const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "Apple", "apricot",
                           "", "zucchini", "kiwi"};
    int nw = sizeof words / sizeof words[0];
    qsort(words, nw, sizeof words[0], cmp_str);
    for (int i = 0; i < nw; i++) printf("'%s' ", words[i]);
    printf("\n");
    struct rec recs[6] = {{3, "c"}, {1, "z"}, {3, "a"}, {-2, "m"}, {1, "b"}, {0, "q"}};
    qsort(recs, 6, sizeof recs[0], cmp_rec);
    for (int i = 0; i < 6; i++) printf("%d:%s ", recs[i].key, recs[i].name);
    printf("\n");

    // strtol family.
    const char *nums[] = {"12345", "-42", "0x1F", "0777", "  +99xyz", "9223372036854775807",
                          "9223372036854775808", "-9223372036854775809", "zz", "1010", ""};
    int bases[] = {10, 10, 16, 0, 10, 10, 10, 10, 36, 2, 10};
    for (int i = 0; i < (int)(sizeof nums / sizeof nums[0]); i++) {
        char *end;
        errno = 0;
        long v = strtol(nums[i], &end, bases[i]);
        int e1 = errno;
        errno = 0;
        unsigned long long u = strtoull(nums[i], NULL, bases[i]);
        printf("strtol('%s',%d)=%ld rest='%s' erange=%d  strtoull=%llu erange=%d\n", nums[i], bases[i],
               v, end, e1 == ERANGE, u, errno == ERANGE);
    }
    const char *dbl[] = {"3.25", "-1e-5", "0x1.8p3", "inf", "-nan", "1e400", "2.5abc", "  .5"};
    for (int i = 0; i < 8; i++) {
        char *end;
        errno = 0;
        double d = strtod(dbl[i], &end);
        printf("strtod('%s')=%g rest='%s' erange=%d\n", dbl[i], d, end, errno == ERANGE);
    }
    printf("atoi %d %d %ld\n", atoi("  -17"), atoi("3abc"), atol("123456789012"));

    // snprintf.
    int n = snprintf(buf, 10, "%s-%d", "truncated string", 12345);
    printf("snprintf n=%d buf='%s'\n", n, buf);
    n = snprintf(NULL, 0, "%08.3f|%x", 3.14159, 255u);
    printf("snprintf(NULL) n=%d\n", n);
    snprintf(buf, sizeof buf, "[%5d][%-5d][%05d][%+d][% d][%x][%X][%#x][%o][%#o][%c][%%][%*d][%-*s][%.3s]",
             42, 42, 42, 42, 42, 0xbeef, 0xbeef, 0xbeef, 8, 8, 'Q', 7, 9, 6, "ab", "abcdef");
    puts(buf);
    snprintf(buf, sizeof buf, "%lld %llu %zu %zd %hhd %hu %ld %lx", -9223372036854775807ll - 1,
             18446744073709551615ull, (size_t)12345678901ull, (ssize_t)-5, (signed char)300,
             (unsigned short)70000, (long)-1, (unsigned long)-1);
    puts(buf);
    int a = 0, b = 0;
    char w[16];
    float f = 0;
    int got = sscanf("17 0x2a word 2.5", "%d %i %15s %f", &a, &b, w, &f);
    printf("sscanf %d: %d %d %s %g\n", got, a, b, w, f);
    printf("strerror: %s / %s\n", strerror(ENOENT), strerror(EINVAL));
    return 0;
}
