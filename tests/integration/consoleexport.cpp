#include "relay/relaystreamspanel.h"
#include "relay/streamdetailpanel.h"
#include "relay/streamexport.h"
#include "relay/streamstore.h"
#include "relay/streamtablemodel.h"

#include "httpclient.h"
#include "consolerelayfixture.h"

#include <QDialog>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString reader = u"10.0.0.8:10000"_s;
const QString emptyReader = u"10.0.0.9:10000"_s;
const QString csvFilter = u"CSV files (*.csv)"_s;
const QString textFilter = u"Text files (*.txt)"_s;

// Bytes that test every rule of the export: a comma, quotes, CR LF, invalid UTF-8, an LF.
QList<ReadEvent> trickyReads()
{
    const QString at = u"2026-02-17T10:00:00.000Z"_s;
    return {{{}, reader, 1, 1, at, "aa,bb", u"RAW"_s},
            {{}, reader, 1, 2, at, "say \"hi\"\r\n", u"RAW"_s},
            {{}, reader, 1, 3, at, "\xff\xfe broken", u"RAW"_s},
            {{}, reader, 1, 4, at, "LINE_4\n", u"RAW"_s},
            {{}, reader, 2, 1, at, "epoch two", u"RAW"_s},
            {{}, reader, 2, 2, at, "x\ny", u"RAW"_s}};
}

// The dialogs delete themselves some time after they close: the ones of earlier steps go now,
// so that a lookup finds the next one.
void dropClosedDialogs(QWidget *panel)
{
    for (QDialog *dialog : panel->findChildren<QDialog *>()) {
        if (!dialog->isVisible())
            delete dialog;
    }
}

// What the dialog's Save button does (QFileDialog::accept is protected; QDialog's is not).
void save(QFileDialog *dialog)
{
    static_cast<QDialog *>(dialog)->accept();
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

// Exports from the console: through the file dialog, in the background, byte for byte what the
// REST export of the same stream or epoch returns, and never over an existing file without
// asking.
class ConsoleExportTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void streamExportsMatchTheRestExport();
    void epochExportsMatchTheRestExport();
    void neverOverwritesWithoutAsking();
    void emptyStreamExportsItsHeader();
    void unwritablePathLeavesNothing();

private:
    QFileDialog *openDialog(QWidget *panel, const QString &button);
    QMessageBox *exportTo(QWidget *panel, const QString &button, const QString &filter,
                          const QString &path);
    QByteArray rest(const QString &path);
    void selectStream(const QString &readerIp);

    std::unique_ptr<ConsoleRelayFixture> m_fixture;
    std::unique_ptr<RelayClient> m_forwarder;
    std::unique_ptr<RelayStreamsPanel> m_streams;
    std::unique_ptr<StreamDetailPanel> m_detail;
    std::unique_ptr<QTemporaryDir> m_out;
    QString m_streamId;
};

void ConsoleExportTest::init()
{
    m_fixture = std::make_unique<ConsoleRelayFixture>();
    PITWALL_START_CONSOLE_RELAY(*m_fixture);
    QString error;
    m_forwarder = m_fixture->relay->connectForwarder({reader, emptyReader}, &error);
    QVERIFY2(m_forwarder, qPrintable(error));
    QVERIFY(m_forwarder->sendBatch(trickyReads()));
    m_streams = std::make_unique<RelayStreamsPanel>(*m_fixture->console);
    m_detail = std::make_unique<StreamDetailPanel>(*m_fixture->console);
    connect(m_streams.get(), &RelayStreamsPanel::streamSelected, m_detail.get(),
            &StreamDetailPanel::showStream);
    m_streams->show();
    m_detail->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_detail.get()));
    QTRY_COMPARE(m_fixture->console->streams().rowCount(), 2);
    m_out = std::make_unique<QTemporaryDir>();
    QVERIFY(m_out->isValid());
    selectStream(reader);
}

void ConsoleExportTest::cleanup()
{
    m_detail.reset();
    m_streams.reset();
    m_forwarder.reset();
    m_fixture.reset();
    m_out.reset();
}

void ConsoleExportTest::selectStream(const QString &readerIp)
{
    const StreamTableModel &model = m_fixture->console->streams();
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.at(row).json.value(u"reader_ip"_s).toString() == readerIp) {
            m_streams->findChild<QTableView *>(u"relayStreamsView"_s)->selectRow(row);
            m_streamId = model.at(row).json.value(u"stream_id"_s).toString();
            return;
        }
    }
    QFAIL("stream not listed");
}

QFileDialog *ConsoleExportTest::openDialog(QWidget *panel, const QString &button)
{
    dropClosedDialogs(panel);
    QTest::mouseClick(panel->findChild<QPushButton *>(button), Qt::LeftButton);
    return panel->findChild<QFileDialog *>(u"exportFileDialog"_s);
}

// Clicks `button`, chooses `path` in the file dialog and waits for the export's result.
QMessageBox *ConsoleExportTest::exportTo(QWidget *panel, const QString &button,
                                         const QString &filter, const QString &path)
{
    QFileDialog *dialog = openDialog(panel, button);
    if (!dialog)
        return nullptr;
    dialog->selectNameFilter(filter);
    dialog->selectFile(path);
    save(dialog);
    QMessageBox *result = nullptr;
    const bool done = QTest::qWaitFor(
            [&] { return (result = panel->findChild<QMessageBox *>(u"exportResult"_s)); }, 20000);
    return done ? result : nullptr;
}

QByteArray ConsoleExportTest::rest(const QString &path)
{
    const HttpReply reply =
            HttpClient::get(m_fixture->relay->url(u"/api/v1/streams/"_s + m_streamId + path));
    if (reply.status != 200)
        qWarning() << "REST export answered" << reply.status << reply.body;
    return reply.body;
}

void ConsoleExportTest::streamExportsMatchTheRestExport()
{
    // The dialog proposes the REST export's file name.
    QFileDialog *dialog = openDialog(m_streams.get(), u"exportStreamButton"_s);
    QVERIFY(dialog);
    const QString forwarderId = m_fixture->console->streams().stream(m_streamId)
                                        .value(u"forwarder_id"_s).toString();
    StreamInfo info;
    info.forwarderId = forwarderId;
    info.readerIp = reader;
    QVERIFY(dialog->selectedFiles().value(0).endsWith(
            StreamExport::fileName(info, std::nullopt, ExportWriter::Format::Csv)));
    dialog->reject();

    const QString csv = m_out->filePath(u"all.csv"_s);
    QMessageBox *result = exportTo(m_streams.get(), u"exportStreamButton"_s, csvFilter, csv);
    QVERIFY(result);
    QCOMPARE(result->icon(), QMessageBox::Information);
    QVERIFY2(result->text().contains(u"Wrote 6 row(s)"_s), qPrintable(result->text()));
    result->accept();
    const QByteArray expectedCsv = rest(u"/export.csv"_s);
    QVERIFY(expectedCsv.startsWith("stream_epoch,seq,"));
    QCOMPARE(fileBytes(csv), expectedCsv);

    const QString txt = m_out->filePath(u"all.txt"_s);
    result = exportTo(m_streams.get(), u"exportStreamButton"_s, textFilter, txt);
    QVERIFY(result);
    result->accept();
    QCOMPARE(fileBytes(txt), rest(u"/export.txt"_s));
    // Only the two exports: no temporary file left behind.
    QCOMPARE(QDir(m_out->path()).entryList(QDir::Files).size(), 2);
}

void ConsoleExportTest::epochExportsMatchTheRestExport()
{
    auto *epochs = m_detail->findChild<QTableView *>(u"epochsView"_s);
    QTRY_COMPARE(epochs->model()->rowCount(), 2);
    QCOMPARE(epochs->model()->index(0, 2).data().toString(), u"4"_s);
    epochs->selectRow(0);
    const QString first = m_out->filePath(u"epoch1.txt"_s);
    QMessageBox *result = exportTo(m_detail.get(), u"detailExportEpochButton"_s, textFilter, first);
    QVERIFY(result);
    QVERIFY2(result->text().contains(u"Wrote 4 row(s)"_s), qPrintable(result->text()));
    result->accept();
    QCOMPARE(fileBytes(first), rest(u"/epochs/1/export.txt"_s));

    epochs->selectRow(1);
    // A name without an extension gets the chosen filter's.
    const QString second = m_out->filePath(u"epoch2"_s);
    result = exportTo(m_detail.get(), u"detailExportEpochButton"_s, csvFilter, second);
    QVERIFY(result);
    result->accept();
    QCOMPARE(fileBytes(second + u".csv"_s), rest(u"/epochs/2/export.csv"_s));
}

void ConsoleExportTest::neverOverwritesWithoutAsking()
{
    const QString path = m_out->filePath(u"precious.csv"_s);
    QFile existing(path);
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write("do not lose me\n");
    existing.close();

    QFileDialog *dialog = openDialog(m_streams.get(), u"exportStreamButton"_s);
    QVERIFY(dialog);
    dialog->selectFile(path);
    save(dialog);
    auto *ask = m_streams->findChild<QMessageBox *>(u"exportReplaceConfirm"_s);
    QVERIFY(ask);
    QVERIFY(ask->text().contains(u"precious.csv"_s));
    QCOMPARE(ask->defaultButton(), ask->button(QMessageBox::Cancel));
    QTest::mouseClick(ask->button(QMessageBox::Cancel), Qt::LeftButton);
    // Exports run one after another: once a later one is done, a declined one would be too.
    const QString other = m_out->filePath(u"other.csv"_s);
    QMessageBox *result = exportTo(m_streams.get(), u"exportStreamButton"_s, csvFilter, other);
    QVERIFY(result);
    result->accept();
    QCOMPARE(fileBytes(path), QByteArray("do not lose me\n"));
    QCOMPARE(QDir(m_out->path()).entryList(QDir::Files),
             (QStringList{u"other.csv"_s, u"precious.csv"_s}));

    dialog = openDialog(m_streams.get(), u"exportStreamButton"_s);
    QVERIFY(dialog);
    dialog->selectFile(path);
    save(dialog);
    ask = m_streams->findChild<QMessageBox *>(u"exportReplaceConfirm"_s);
    QVERIFY(ask);
    QTest::mouseClick(ask->findChild<QPushButton *>(u"exportReplaceConfirmButton"_s),
                      Qt::LeftButton);
    result = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
            (result = m_streams->findChild<QMessageBox *>(u"exportResult"_s)), 20000);
    QCOMPARE(result->icon(), QMessageBox::Information);
    QCOMPARE(fileBytes(path), rest(u"/export.csv"_s));
}

void ConsoleExportTest::emptyStreamExportsItsHeader()
{
    selectStream(emptyReader);
    const QString csv = m_out->filePath(u"empty.csv"_s);
    QMessageBox *result = exportTo(m_streams.get(), u"exportStreamButton"_s, csvFilter, csv);
    QVERIFY(result);
    QVERIFY2(result->text().contains(u"Wrote 0 row(s)"_s), qPrintable(result->text()));
    result->accept();
    QCOMPARE(fileBytes(csv), rest(u"/export.csv"_s));
    QCOMPARE(fileBytes(csv), QByteArray("stream_epoch,seq,reader_timestamp,raw_frame,read_type,"
                                        "chip_id\n"));
}

void ConsoleExportTest::unwritablePathLeavesNothing()
{
    const QString path = m_out->filePath(u"missing/dir/out.csv"_s);
    QMessageBox *result = exportTo(m_streams.get(), u"exportStreamButton"_s, csvFilter, path);
    QVERIFY(result);
    QCOMPARE(result->icon(), QMessageBox::Warning);
    QVERIFY(result->text().contains(u"was not written"_s));
    QVERIFY(!QFile::exists(path));
    QVERIFY(QDir(m_out->path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty());
}

QTEST_MAIN(ConsoleExportTest)
#include "consoleexport.moc"
