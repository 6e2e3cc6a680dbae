#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <math.h>
/* Reads 16-hex-digit double bit patterns, one a line; prints "bits<TAB>%.17g". */
int main(void) {
    char line[64];
    while (fgets(line, sizeof line, stdin)) {
        uint64_t bits = strtoull(line, NULL, 16);
        double d;
        memcpy(&d, &bits, 8);
        printf("%016llx\t%.17g\n", (unsigned long long) bits, d);
    }
    return 0;
}
