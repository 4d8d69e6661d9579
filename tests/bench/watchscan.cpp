// Times ProcessScanner::scan() over the live /proc for tests/bench/watch.sh: prints the median
// and worst of N full scans in microseconds, and how many pid entries each scan examined.
#include "procfs.h"
#include "watch/processscanner.h"

#include <QCoreApplication>

#include <algorithm>
#include <cstdio>
#include <vector>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 50;
    const Pitwall::ProcessScanner scanner(Pitwall::ProcFs(), {QStringLiteral("ffmpeg")},
                                          int(QCoreApplication::applicationPid()));
    std::vector<qint64> micros;
    int examined = 0;
    int matched = 0;
    for (int i = 0; i < runs; ++i) {
        const Pitwall::ScanResult result = scanner.scan();
        if (!result.ok)
            return 1;
        micros.push_back(result.duration.count());
        examined = result.examined;
        matched = int(result.processes.size());
    }
    std::sort(micros.begin(), micros.end());
    std::printf("scan_us_median %lld\nscan_us_max %lld\nexamined %d\nmatched %d\n",
                static_cast<long long>(micros[micros.size() / 2]),
                static_cast<long long>(micros.back()), examined, matched);
    return 0;
}
