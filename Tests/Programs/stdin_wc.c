// stdin_wc.c: reads all of standard input (fread in odd-sized chunks until EOF) and prints
// line, word and byte counts, the longest line, a 64-bit FNV-1a checksum, the most frequent
// letters, and a per-line checksum of the first lines (exercises read(0) and EOF handling).
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    unsigned char buf[777];
    size_t n, bytes = 0, lines = 0, words = 0, longest = 0, cur = 0;
    int inword = 0;
    uint64_t fnv = 0xcbf29ce484222325ull, linesum = 0;
    unsigned long freq[26] = {0};
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = buf[i];
            bytes++;
            fnv = (fnv ^ c) * 0x100000001b3ull;
            linesum = linesum * 131 + c;
            if (isalpha(c)) freq[tolower(c) - 'a']++;
            if (c == '\n') {
                if (lines < 5) printf("line %zu: len=%zu sum=%016llx\n", lines + 1, cur,
                                      (unsigned long long)linesum);
                lines++;
                if (cur > longest) longest = cur;
                cur = 0;
                linesum = 0;
            } else {
                cur++;
            }
            if (isspace(c)) inword = 0;
            else if (!inword) { inword = 1; words++; }
        }
    }
    if (cur > longest) longest = cur;
    printf("lines=%zu words=%zu bytes=%zu longest=%zu fnv=%016llx\n", lines, words, bytes, longest,
           (unsigned long long)fnv);
    printf("top letters:");
    for (int k = 0; k < 5; k++) {
        int best = 0;
        for (int i = 1; i < 26; i++) if (freq[i] > freq[best]) best = i;
        printf(" %c=%lu", 'a' + best, freq[best]);
        freq[best] = 0;
    }
    printf("\neof=%d error=%d\n", feof(stdin) != 0, ferror(stdin) != 0);
    return 0;
}
