#include "relay/protocol/ipicoread.h"
#include "relay/protocol/relaymessage.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString corpusRoot = QStringLiteral(PITWALL_SOURCE_DIR "/tests/fuzz/corpus/");

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// One row per seed; every prefix in `prefixes` must have at least one seed.
void addSeedRows(const QString &corpus, const QStringList &prefixes)
{
    QTest::addColumn<QString>("path");
    const QDir dir(corpusRoot + corpus);
    const QStringList files = dir.entryList(QDir::Files, QDir::Name);
    for (const QString &prefix : prefixes) {
        QVERIFY2(std::any_of(files.cbegin(), files.cend(),
                             [&prefix](const QString &name) { return name.startsWith(prefix); }),
                 qPrintable(u"no %1* seed in %2"_s.arg(prefix, dir.path())));
    }
    for (const QString &name : files) {
        QVERIFY2(std::any_of(prefixes.cbegin(), prefixes.cend(),
                             [&name](const QString &prefix) { return name.startsWith(prefix); }),
                 qPrintable(u"%1: a seed's name starts with one of %2"_s.arg(name, prefixes.join(u", "_s))));
        QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }
}

} // namespace

// Replays the fuzzers' seed corpora in every build (gcc included). The file name says what must
// happen: relaymessage ok-* parses and survives serialize/parse unchanged, malformed-* is refused
// as invalid JSON or an invalid field, unknown-* as an unknown kind; ipicoread ok-* has one read
// per line that all parse, malformed-* is one line that does not.
class RelayCorpusTest final : public QObject
{
    Q_OBJECT

private slots:
    void relayMessage_data() { addSeedRows(u"relaymessage"_s, {u"ok-"_s, u"malformed-"_s, u"unknown-"_s}); }

    void relayMessage()
    {
        QFETCH(QString, path);
        const QString name = QFileInfo(path).fileName();
        const ParseResult result = parseMessage(readFile(path));
        const auto *error = std::get_if<ParseError>(&result);
        if (name.startsWith(u"ok-"_s)) {
            QVERIFY2(!error, error ? qPrintable(error->toString()) : "");
            const Message &message = std::get<Message>(result);
            const ParseResult again = parseMessage(serialize(message));
            QVERIFY(std::holds_alternative<Message>(again) && std::get<Message>(again) == message);
            return;
        }
        QVERIFY(error);
        QVERIFY(!error->reason.isEmpty());
        QVERIFY(error->code == ErrorCode::ProtocolError);
        QCOMPARE(error->kind == ParseError::Kind::UnknownKind, name.startsWith(u"unknown-"_s));
    }

    void ipicoRead_data() { addSeedRows(u"ipicoread"_s, {u"ok-"_s, u"malformed-"_s}); }

    void ipicoRead()
    {
        QFETCH(QString, path);
        const QByteArray content = readFile(path);
        if (QFileInfo(path).fileName().startsWith(u"ok-"_s)) {
            const QList<QByteArray> lines = content.split('\n');
            for (const QByteArray &line : lines) {
                if (!line.isEmpty())
                    QVERIFY2(parseIpicoLine(line), line.constData());
            }
        } else {
            QVERIFY(!parseIpicoLine(content));
        }
    }
};

QTEST_APPLESS_MAIN(RelayCorpusTest)
#include "relaycorpus.moc"
