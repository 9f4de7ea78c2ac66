// tj-spawn: the measuring parent of one benchmark run.
//
//     tj-spawn RESULT_FILE PROGRAM ARGS...
//
// Why it exists: Linux's ru_maxrss of a child counts the memory of the process that created it: at
// exec the kernel folds the old address space's high-water mark into the child's peak, and a child
// made by posix_spawn (vfork) from the 20+ MB tracejit process starts with tracejit's. Spawned from
// this tiny process instead (plain fork), the inherited part is this helper's few pages, so the peak
// RSS is the program's own. The helper forks, execs PROGRAM (PATH lookup), waits with wait4 and
// writes one line to RESULT_FILE: "<user us> <sys us> <maxrss KiB> <wait status>", then exits with
// the program's exit status (or 128 + signal). If the exec fails the child exits 127.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: tj-spawn RESULT_FILE PROGRAM ARGS...\n");
        return 125;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("tj-spawn: fork");
        return 125;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "tj-spawn: cannot run '%s': %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("tj-spawn: wait4");
            return 125;
        }
    }
    FILE *f = fopen(argv[1], "w");
    if (f) {
        fprintf(f, "%lld %lld %ld %d\n",
                (long long)ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec,
                (long long)ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec,
                ru.ru_maxrss, status);
        fclose(f);
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 125;
}
