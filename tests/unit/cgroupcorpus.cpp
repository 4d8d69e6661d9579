#include "helperrequest.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString corpus = QStringLiteral(PITWALL_SOURCE_DIR "/tests/fuzz/corpus/helperrequest");

} // namespace

// Replays the fuzzer's seed corpus through the parser in every build (gcc included). The file
// name says what must happen: ok-* parses, malformed-* / refused-* are refused with that status.
class CgroupCorpusTest final : public QObject
{
    Q_OBJECT

private slots:
    void replay_data()
    {
        QTest::addColumn<QString>("path");
        const QStringList files = QDir(corpus).entryList(QDir::Files, QDir::Name);
        for (const QString &prefix : {u"ok-"_s, u"malformed-"_s, u"refused-"_s}) {
            QVERIFY2(std::any_of(files.cbegin(), files.cend(),
                                 [&prefix](const QString &name) { return name.startsWith(prefix); }),
                     qPrintable(u"no %1* seed in %2"_s.arg(prefix, corpus)));
        }
        for (const QString &name : files)
            QTest::newRow(qPrintable(name)) << QDir(corpus).filePath(name);
    }

    void replay()
    {
        QFETCH(QString, path);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray input = file.readAll();
        const QString name = QFileInfo(path).fileName();
        QString error;
        HelperStatus status = HelperStatus::Ok;
        const auto request = HelperRequest::parse(input, &error, &status);
        if (name.startsWith(u"ok-"_s)) {
            QVERIFY2(request, qPrintable(error));
            const auto again = HelperRequest::parse(QJsonDocument(request->toJson()).toJson(), &error, nullptr);
            QVERIFY2(again && again->toJson() == request->toJson(), qPrintable(error));
        } else if (name.startsWith(u"malformed-"_s) || name.startsWith(u"refused-"_s)) {
            QVERIFY(!request);
            QVERIFY(!error.isEmpty());
            QCOMPARE(status, name.startsWith(u"malformed-"_s) ? HelperStatus::Malformed : HelperStatus::Refused);
        } else {
            QFAIL(qPrintable(u"%1: a seed's name starts with ok-, malformed- or refused-"_s.arg(name)));
        }
    }
};

QTEST_APPLESS_MAIN(CgroupCorpusTest)
#include "cgroupcorpus.moc"
