#include "vod/downloadprogress.h"
#include "vod/progressline.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString corpus = QStringLiteral(PITWALL_SOURCE_DIR "/tests/fuzz/corpus/progressline");

QList<QByteArray> nonEmptyLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    lines.removeIf([](const QByteArray &line) { return line.trimmed().isEmpty(); });
    return lines;
}

} // namespace

// Replays the progressline fuzzer's seeds in every build. They are stdout captured from yt-dlp
// 2023.03.04 (and aria2c under it). ok-*: every line is progress, and fed in order the shown
// percentage never goes back and ends at 100 when the seed has yt-dlp's finished line.
// other-*: no line is progress.
class ProgressCorpusTest final : public QObject
{
    Q_OBJECT

private slots:
    void seeds_data();
    void seeds();
};

void ProgressCorpusTest::seeds_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(corpus);
    const QStringList files = dir.entryList(QDir::Files, QDir::Name);
    QVERIFY(std::any_of(files.cbegin(), files.cend(), [](const QString &f) { return f.startsWith(u"ok-"_s); }));
    QVERIFY(std::any_of(files.cbegin(), files.cend(), [](const QString &f) { return f.startsWith(u"other-"_s); }));
    for (const QString &name : files) {
        QVERIFY2(name.startsWith(u"ok-"_s) || name.startsWith(u"other-"_s), qPrintable(name));
        QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }
}

void ProgressCorpusTest::seeds()
{
    QFETCH(QString, path);
    const QList<QByteArray> lines = nonEmptyLines(path);
    QVERIFY(!lines.isEmpty());
    if (QFileInfo(path).fileName().startsWith(u"other-"_s)) {
        for (const QByteArray &line : lines)
            QVERIFY2(!parseProgressLine(line), line.constData());
        return;
    }
    DownloadProgress progress;
    bool finishedLine = false;
    for (const QByteArray &line : lines) {
        const auto parsed = parseProgressLine(line);
        QVERIFY2(parsed, line.constData());
        finishedLine = finishedLine || parsed->status == ProgressLine::Status::Finished;
        const double before = progress.percent();
        progress.apply(*parsed);
        QVERIFY2(progress.percent() >= before, line.constData());
    }
    QCOMPARE(progress.finished(), finishedLine);
    if (finishedLine)
        QCOMPARE(progress.percent(), 100.0);
    else
        QVERIFY(progress.percent() > 0 && progress.percent() < 100);
}

QTEST_APPLESS_MAIN(ProgressCorpusTest)
#include "progresscorpus.moc"
