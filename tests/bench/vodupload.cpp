// One ResumableUpload of a file to a resumable-upload endpoint, for tests/bench/vod.sh:
//   bench_vod_upload <api base url> <file> [chunk bytes]
// prints the bytes, wall seconds, throughput, CPU seconds and the RSS growth of this process
// over the upload: the peak (VmHWM, reset through clear_refs just before the upload starts) and
// a 20 ms VmRSS poll as a cross-check, each minus the VmRSS just before the upload.
#include "vod/resumableupload.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

using namespace Pitwall;
using namespace Qt::StringLiterals;

namespace {

qint64 statusKib(QByteArrayView field)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
bool resetPeakRss()
{
    QFile clearRefs(u"/proc/self/clear_refs"_s);
    return clearRefs.open(QIODevice::WriteOnly) && clearRefs.write("5") == 1;
}

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_vod_upload <api base url> <file> [chunk bytes]\n");
        return 2;
    }
    UploadSettings settings;
    settings.uploadUrl = QUrl(QString::fromLocal8Bit(argv[1]));
    if (argc > 3)
        settings.chunkSize = QByteArray(argv[3]).toLongLong();
    const QString file = QString::fromLocal8Bit(argv[2]);

    ResumableUpload upload(settings);
    UploadMetadata metadata;
    metadata.title = u"bench upload"_s;

    qint64 polledPeakKib = 0;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&polledPeakKib] {
        polledPeakKib = std::max(polledPeakKib, statusKib("VmRSS:"));
    });
    int exitCode = 1;
    QObject::connect(&upload, &ResumableUpload::finished, &app, [&exitCode](const QString &id) {
        exitCode = id.isEmpty() ? 1 : 0;
        QCoreApplication::quit();
    });
    QObject::connect(&upload, &ResumableUpload::failed, &app, [](const UploadError &error) {
        std::fprintf(stderr, "upload failed (%s): %s\n", qPrintable(error.className()),
                     qPrintable(error.message));
        QCoreApplication::quit();
    });

    if (!resetPeakRss())
        std::fprintf(stderr, "cannot reset VmHWM; the peak includes start-up\n");
    const qint64 rssBeforeKib = statusKib("VmRSS:");
    polledPeakKib = rssBeforeKib;
    const double cpuBefore = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    poll.start(20);
    if (!upload.start(file, metadata, u"bench-token"_s))
        return 1;
    app.exec();
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    const qint64 peakKib = statusKib("VmHWM:");
    if (exitCode != 0)
        return exitCode;

    const qint64 bytes = QFileInfo(file).size();
    std::printf("upload_bytes %lld\nupload_seconds %.3f\nupload_bytes_per_s %.0f\n"
                "upload_chunk_bytes %lld\nprocess_cpu_s %.2f\nrss_kib_before %lld\n"
                "rss_kib_peak %lld\nrss_kib_peak_growth %lld\nrss_kib_polled_peak_growth %lld\n",
                static_cast<long long>(bytes), seconds, double(bytes) / seconds,
                static_cast<long long>(settings.chunkSize), cpuSeconds() - cpuBefore,
                static_cast<long long>(rssBeforeKib), static_cast<long long>(peakKib),
                static_cast<long long>(peakKib - rssBeforeKib),
                static_cast<long long>(polledPeakKib - rssBeforeKib));
    return 0;
}
