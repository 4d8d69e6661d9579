#include "mainwindow.h"
#include "relay/cursorspanel.h"
#include "relay/cursorstore.h"
#include "relay/cursortablemodel.h"
#include "relay/epochtablemodel.h"
#include "relay/eventstore.h"
#include "relay/relayconsoleservice.h"
#include "relay/relaypanels.h"
#include "relay/relaystreamspanel.h"
#include "relay/streamdetailpanel.h"
#include "relay/streamstore.h"
#include "relay/streamtablemodel.h"

#include "consolerelayfixture.h"

#include <QAbstractItemModelTester>
#include <QDockWidget>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString readerA = u"10.0.1.1:10000"_s;
const QString readerB = u"10.0.1.2:10000"_s;

QJsonObject streamJson(const QString &id, bool online)
{
    return {{u"stream_id"_s, id}, {u"reader_ip"_s, id + u":1"_s}, {u"online"_s, online},
            {u"stream_epoch"_s, 1}};
}

EpochInfo epoch(qint64 number, qint64 events)
{
    EpochInfo info;
    info.epoch = number;
    info.eventCount = events;
    return info;
}

// Every signal a model sends about its shape, counted, plus each dataChanged range.
struct ModelSignals
{
    explicit ModelSignals(QAbstractItemModel *model)
        : resets(model, &QAbstractItemModel::modelReset)
        , inserted(model, &QAbstractItemModel::rowsInserted)
        , removed(model, &QAbstractItemModel::rowsRemoved)
        , changed(model, &QAbstractItemModel::dataChanged)
    {
    }

    QSignalSpy resets, inserted, removed, changed;
};

} // namespace

// The relay panels' table models under QAbstractItemModelTester: updated row by row, never
// reset, while a real forwarder sends reads; and the receivers and cursors panel's delete.
class ConsoleRelayModelsTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void streamTableFollowsLiveReads();
    void eventsBeforeTheSnapshotAreKept();
    void burstsOfEventsAreCoalesced();
    void rowsKeepOnlyTheirNewestValues();
    void mergeTouchesOnlyWhatChanged();
    void cursorsListAndDeleteAfterConfirmation();
    void renameThroughTheDialog();
    void nameEpochThroughTheDialog();
    void relayPanelsJoinTheWindow();

private:
    int rowOf(const QString &readerIp) const;
    QString cell(const QString &readerIp, int column) const;

    QTemporaryDir m_settingsDir;
    std::unique_ptr<ConsoleRelayFixture> m_fixture;
};

void ConsoleRelayModelsTest::initTestCase()
{
    // The main window saves its layout in QSettings: never the user's real ones.
    QVERIFY(m_settingsDir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
}

void ConsoleRelayModelsTest::init()
{
    m_fixture = std::make_unique<ConsoleRelayFixture>();
    PITWALL_START_CONSOLE_RELAY(*m_fixture);
}

void ConsoleRelayModelsTest::cleanup()
{
    m_fixture.reset();
}

int ConsoleRelayModelsTest::rowOf(const QString &readerIp) const
{
    const StreamTableModel &model = m_fixture->console->streams();
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.at(row).json.value(u"reader_ip"_s).toString() == readerIp)
            return row;
    }
    return -1;
}

QString ConsoleRelayModelsTest::cell(const QString &readerIp, int column) const
{
    const int row = rowOf(readerIp);
    return row < 0 ? QString() : m_fixture->console->streams().index(row, column).data().toString();
}

void ConsoleRelayModelsTest::streamTableFollowsLiveReads()
{
    StreamTableModel &model = m_fixture->console->streams();
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ModelSignals spies(&model);
    QString error;
    const auto forwarder = m_fixture->relay->connectForwarder({readerA, readerB}, &error);
    QVERIFY2(forwarder, qPrintable(error));
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(cell(readerA, StreamTableModel::Online), u"Online"_s);

    // Each round's counts reach the table before the next round is sent.
    constexpr qint64 rounds = 5;
    for (qint64 round = 0; round < rounds; ++round) {
        QVERIFY(forwarder->sendBatch(relayFrames(readerA, 1, round * 100 + 1, round * 100 + 100)));
        QVERIFY(forwarder->sendBatch(relayFrames(readerB, 1, round + 1, round + 1)));
        QTRY_COMPARE(cell(readerA, StreamTableModel::Events), QString::number((round + 1) * 100));
        QTRY_COMPARE(cell(readerB, StreamTableModel::Events), QString::number(round + 1));
    }
    QCOMPARE(cell(readerA, StreamTableModel::Raw), QString::number(rounds * 100));
    QVERIFY(!cell(readerA, StreamTableModel::Lag).isEmpty());

    // A fresh snapshot of the same streams changes rows in place. (The service's signals come
    // from its thread: the spy counts them as they are sent.)
    QSignalSpy loaded(&m_fixture->console->service(), &RelayConsoleService::streamsLoaded);
    m_fixture->console->run([](RelayConsoleService &service) { service.loadStreams(); });
    QTRY_COMPARE(loaded.size(), 1);

    forwarder->close();
    QTRY_COMPARE(cell(readerB, StreamTableModel::Online), u"Offline"_s);
    QCOMPARE(cell(readerB, StreamTableModel::ReaderConnected), u"Disconnected"_s);

    QCOMPARE(spies.resets.size(), 0);
    QCOMPARE(spies.removed.size(), 0);
    QCOMPARE(spies.inserted.size(), 2);
    QVERIFY(spies.changed.size() >= 2 * rounds);
    // One row per change, except the lag's tick, which touches only its column.
    for (const QList<QVariant> &change : std::as_const(spies.changed)) {
        const auto topLeft = change.at(0).value<QModelIndex>();
        const auto bottomRight = change.at(1).value<QModelIndex>();
        const bool lagTick = topLeft.column() == StreamTableModel::Lag
                && bottomRight.column() == StreamTableModel::Lag;
        QVERIFY(lagTick || topLeft.row() == bottomRight.row());
    }
}

void ConsoleRelayModelsTest::eventsBeforeTheSnapshotAreKept()
{
    StreamTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString x = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString y = QUuid::createUuid().toString(QUuid::WithoutBraces);
    model.applyEvent({{u"type"_s, u"stream_updated"_s}, {u"stream_id"_s, x},
                      {u"online"_s, false}});
    QJsonObject created = streamJson(y, true);
    created.insert(u"type"_s, u"stream_created"_s);
    model.applyEvent(created);
    QCOMPARE(model.rowCount(), 0);

    model.setStreams({streamJson(x, true)});
    // The snapshot and the events it replays are shown at once.
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(model.find(x), StreamTableModel::Online).data().toString(),
             u"Offline"_s);
    QCOMPARE(model.index(model.find(y), StreamTableModel::Online).data().toString(),
             u"Online"_s);

    // Metrics of a stream the table does not know wait for the next snapshot.
    model.applyEvent({{u"type"_s, u"metrics_updated"_s},
                      {u"stream_id"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
                      {u"dedup_count"_s, 3}});
    model.flush();
    QCOMPARE(model.rowCount(), 2);
    ModelSignals spies(&model);
    model.applyEvent({{u"type"_s, u"metrics_updated"_s}, {u"stream_id"_s, x},
                      {u"dedup_count"_s, 7}, {u"lag_ms"_s, 1200}});
    QTRY_COMPARE(spies.changed.size(), 1);
    QCOMPARE(spies.changed.first().at(0).value<QModelIndex>().row(), model.find(x));
    QCOMPARE(model.index(model.find(x), StreamTableModel::Events).data().toString(), u"7"_s);
    QVERIFY(model.index(model.find(x), StreamTableModel::Lag).data().toString().endsWith(u" s"_s));
}

void ConsoleRelayModelsTest::burstsOfEventsAreCoalesced()
{
    StreamTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString x = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString y = QUuid::createUuid().toString(QUuid::WithoutBraces);
    model.setStreams({streamJson(x, true), streamJson(y, true)});
    ModelSignals spies(&model);

    // A thousand events for x, one for y and a new stream z: staged, nothing shown yet, but
    // what the panels' actions read is already the newest state.
    constexpr int burst = 1000;
    for (int count = 1; count <= burst; ++count) {
        model.applyEvent({{u"type"_s, u"metrics_updated"_s}, {u"stream_id"_s, x},
                          {u"dedup_count"_s, count}});
    }
    model.applyEvent({{u"type"_s, u"stream_updated"_s}, {u"stream_id"_s, y},
                      {u"online"_s, false}});
    const QString z = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QJsonObject created = streamJson(z, true);
    created.insert(u"type"_s, u"stream_created"_s);
    model.applyEvent(created);
    QCOMPARE(spies.changed.size(), 0);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.stream(x).value(u"dedup_count"_s).toInt(), burst);

    // One flush: one change per row, over the cells that changed, and the new row appended.
    QTRY_COMPARE(model.rowCount(), 3);
    QCOMPARE(spies.inserted.size(), 1);
    QCOMPARE(model.find(z), 2);
    QCOMPARE(spies.changed.size(), 2);
    const auto changedRow = [&](int change) {
        const auto topLeft = spies.changed.at(change).at(0).value<QModelIndex>();
        const auto bottomRight = spies.changed.at(change).at(1).value<QModelIndex>();
        return std::tuple(topLeft.row(), bottomRight.row(), topLeft.column(), bottomRight.column());
    };
    QCOMPARE(changedRow(0), std::tuple(model.find(x), model.find(x), int(StreamTableModel::Events),
                                       int(StreamTableModel::Events)));
    QCOMPARE(changedRow(1), std::tuple(model.find(y), model.find(y), int(StreamTableModel::Online),
                                       int(StreamTableModel::Online)));
    QCOMPARE(model.index(model.find(x), StreamTableModel::Events).data().toString(),
             QLocale().toString(burst));
    QCOMPARE(spies.resets.size(), 0);
}

// Hours of metrics events must not grow a row: each one replaces the row's strings (tag id,
// reader timestamp), and a QJsonObject updated in place keeps every string it ever held.
void ConsoleRelayModelsTest::rowsKeepOnlyTheirNewestValues()
{
#if defined(__GLIBC__)
    StreamTableModel model;
    const QString x = QUuid::createUuid().toString(QUuid::WithoutBraces);
    model.setStreams({streamJson(x, true)});
    const auto heapInUse = [] {
        const struct mallinfo2 info = mallinfo2();
        return qint64(info.uordblks + info.hblkhd);
    };
    const auto update = [&](int count) {
        model.applyEvent({{u"type"_s, u"metrics_updated"_s}, {u"stream_id"_s, x},
                          {u"dedup_count"_s, count},
                          {u"last_tag_id"_s, u"05800319aeb%1"_s.arg(count, 8, 10, QChar(u'0'))},
                          {u"last_reader_timestamp"_s,
                           QDateTime::fromMSecsSinceEpoch(count).toUTC().toString(Qt::ISODateWithMs)}});
        if (count % 100 == 0)
            model.flush();
    };
    // A first round sizes what the model and the allocator keep anyway.
    constexpr int updates = 20000;
    for (int count = 1; count <= updates; ++count)
        update(count);
    const qint64 before = heapInUse();
    for (int count = updates + 1; count <= 2 * updates; ++count)
        update(count);
    // In place, the row grew by its two strings per update: over 2 MB for these 20 000.
    const qint64 grown = heapInUse() - before;
    QVERIFY2(grown < 64 * 1024, qPrintable(u"heap grew by %1 bytes"_s.arg(grown)));
    const QJsonObject row = model.stream(x);
    QCOMPARE(row.value(u"dedup_count"_s).toInt(), 2 * updates);
    QCOMPARE(row.value(u"last_tag_id"_s).toString(), u"05800319aeb00040000"_s);
    QCOMPARE(row.value(u"online"_s).toBool(), true);
    QVERIFY(!row.contains(u"type"_s));
#else
    QSKIP("measures the heap with glibc's mallinfo2");
#endif
}

void ConsoleRelayModelsTest::mergeTouchesOnlyWhatChanged()
{
    EpochTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ModelSignals spies(&model);
    model.merge({epoch(1, 10), epoch(2, 5)});
    QCOMPARE(spies.inserted.size(), 2);

    model.merge({epoch(1, 10), epoch(2, 6), epoch(3, 0)});
    QCOMPARE(spies.inserted.size(), 3);
    QCOMPARE(spies.changed.size(), 1);
    const auto topLeft = spies.changed.first().at(0).value<QModelIndex>();
    const auto bottomRight = spies.changed.first().at(1).value<QModelIndex>();
    QCOMPARE(topLeft.row(), 1);
    QCOMPARE(bottomRight.row(), 1);
    QCOMPARE(topLeft.column(), int(EpochTableModel::Events));
    QCOMPARE(bottomRight.column(), int(EpochTableModel::Events));

    model.merge({epoch(2, 6), epoch(3, 0)});
    QCOMPARE(spies.removed.size(), 1);
    QCOMPARE(spies.removed.first().at(1).toInt(), 0);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, EpochTableModel::Epoch).data().toString(), u"2"_s);
    QCOMPARE(spies.resets.size(), 0);
}

void ConsoleRelayModelsTest::cursorsListAndDeleteAfterConfirmation()
{
    StoreError error;
    const EventStore events(m_fixture->database->database());
    const auto first = events.ensureStream(u"fwd-cursor"_s, readerA, &error);
    const auto second = events.ensureStream(u"fwd-cursor"_s, readerB, &error);
    QVERIFY2(first && second, qPrintable(error.message));
    const CursorStore cursors(m_fixture->database->database());
    QVERIFY(cursors.upsertCursor(u"screen-1"_s, first->streamId, 1, 40, &error));
    QVERIFY(cursors.upsertCursor(u"screen-1"_s, second->streamId, 1, 7, &error));

    // Streams made behind the relay's back: the stream table learns them from a new snapshot.
    m_fixture->console->run([](RelayConsoleService &service) { service.loadStreams(); });
    QTRY_COMPARE(m_fixture->console->streams().rowCount(), 2);

    CursorsPanel panel(*m_fixture->console);
    auto *view = panel.findChild<QTableView *>(u"cursorsView"_s);
    QAbstractItemModelTester tester(view->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    ModelSignals spies(view->model());
    panel.show();
    QTRY_COMPARE(view->model()->rowCount(), 2);

    // The receiver acknowledges more: its row changes in place at the next reload.
    QVERIFY(cursors.upsertCursor(u"screen-1"_s, first->streamId, 1, 90, &error));
    // The service's signals come from its thread: the spy counts them as they are sent.
    QSignalSpy loaded(&m_fixture->console->service(), &RelayConsoleService::cursorsLoaded);
    panel.hide();
    panel.show();
    const int row = first->streamId < second->streamId ? 0 : 1;
    QTRY_COMPARE(view->model()->index(row, CursorTableModel::LastSeq).data().toString(), u"90"_s);
    QCOMPARE(loaded.size(), 1);
    // Streams by name as the streams panel shows them, the id in the tooltip.
    const QModelIndex stream = view->model()->index(row, CursorTableModel::Stream);
    QCOMPARE(stream.data().toString(), readerA);
    QCOMPARE(stream.data(Qt::ToolTipRole).toString(), first->streamId);
    QCOMPARE(spies.inserted.size(), 2);

    view->selectRow(row);
    auto *remove = panel.findChild<QPushButton *>(u"deleteCursorButton"_s);
    QVERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    QPointer<QMessageBox> box = panel.findChild<QMessageBox *>(u"deleteCursorConfirm"_s);
    QVERIFY(box);
    QVERIFY(box->text().contains(u"screen-1"_s));
    QVERIFY(box->text().contains(readerA));
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(box.isNull());
    panel.hide(); // a reload after the Cancel: a delete it had queued would be done by then
    panel.show();
    QTRY_COMPARE(loaded.size(), 2);
    QCOMPARE(cursors.cursors(&error)->size(), 2);

    QTest::mouseClick(remove, Qt::LeftButton);
    box = panel.findChild<QMessageBox *>(u"deleteCursorConfirm"_s);
    QVERIFY(box);
    QTest::mouseClick(box->findChild<QPushButton *>(u"deleteCursorConfirmButton"_s),
                      Qt::LeftButton);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    const auto left = cursors.cursors(&error);
    QCOMPARE(left->size(), 1);
    QCOMPARE(left->first().streamId, second->streamId);
    QCOMPARE(spies.removed.size(), 1);
    QCOMPARE(spies.resets.size(), 0);
}

void ConsoleRelayModelsTest::renameThroughTheDialog()
{
    QString error;
    const auto forwarder = m_fixture->relay->connectForwarder({readerA}, &error);
    QVERIFY2(forwarder, qPrintable(error));
    RelayStreamsPanel panel(*m_fixture->console);
    panel.show();
    auto *view = panel.findChild<QTableView *>(u"relayStreamsView"_s);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    view->selectRow(0);
    QTest::mouseClick(panel.findChild<QPushButton *>(u"renameStreamButton"_s), Qt::LeftButton);
    auto *dialog = panel.findChild<QInputDialog *>(u"renameStreamDialog"_s);
    QVERIFY(dialog);
    QVERIFY(dialog->labelText().contains(readerA));
    dialog->setTextValue(u"  Finish line  "_s);
    dialog->accept();
    // Stored, and back in the table through the relay engine's event, like a REST rename.
    QTRY_COMPARE(cell(readerA, StreamTableModel::Name), u"Finish line"_s);
    StoreError storeError;
    const auto streams = StreamStore(m_fixture->database->database()).list(&storeError);
    QVERIFY(streams);
    QCOMPARE(streams->first().displayAlias, u"Finish line"_s);
}

void ConsoleRelayModelsTest::nameEpochThroughTheDialog()
{
    QString error;
    const auto forwarder = m_fixture->relay->connectForwarder({readerA}, &error);
    QVERIFY2(forwarder, qPrintable(error));
    QVERIFY(forwarder->sendBatch(relayFrames(readerA, 1, 1, 3)));
    QTRY_COMPARE(cell(readerA, StreamTableModel::Events), u"3"_s);
    const QString streamId =
            m_fixture->console->streams().at(rowOf(readerA)).json.value(u"stream_id"_s).toString();
    StreamDetailPanel panel(*m_fixture->console);
    panel.show();
    panel.showStream(streamId);
    auto *view = panel.findChild<QTableView *>(u"epochsView"_s);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    auto *name = panel.findChild<QPushButton *>(u"detailNameEpochButton"_s);
    QVERIFY(!name->isEnabled());
    view->selectRow(0);
    QVERIFY(name->isEnabled());

    // Names the epoch: stored, listed in the panel and in the streams table's epoch column.
    const auto nameThroughDialog = [&](const QString &text, const QString &shown) {
        QTest::mouseClick(name, Qt::LeftButton);
        QPointer<QInputDialog> dialog = panel.findChild<QInputDialog *>(u"nameEpochDialog"_s);
        QVERIFY(dialog);
        QVERIFY(dialog->labelText().contains(readerA));
        QCOMPARE(dialog->textValue(), shown);
        dialog->setTextValue(text);
        dialog->accept();
        QTRY_VERIFY(dialog.isNull());
    };
    nameThroughDialog(u"  Heat 1  "_s, QString());
    QTRY_COMPARE(view->model()->index(0, EpochTableModel::Name).data().toString(), u"Heat 1"_s);
    StoreError storeError;
    const StreamStore store(m_fixture->database->database());
    QCOMPARE(store.epochs(streamId, &storeError)->first().name, u"Heat 1"_s);
    QTRY_COMPARE(cell(readerA, StreamTableModel::Epoch), u"1 (Heat 1)"_s);

    // Empty clears the name.
    view->selectRow(0);
    nameThroughDialog(QString(), u"Heat 1"_s);
    QTRY_COMPARE(view->model()->index(0, EpochTableModel::Name).data().toString(), QString());
    QCOMPARE(store.epochs(streamId, &storeError)->first().name, std::nullopt);
    QTRY_COMPARE(cell(readerA, StreamTableModel::Epoch), u"1"_s);
}

void ConsoleRelayModelsTest::relayPanelsJoinTheWindow()
{
    QString error;
    const auto forwarder = m_fixture->relay->connectForwarder({readerA}, &error);
    QVERIFY2(forwarder, qPrintable(error));
    MainWindow window(m_fixture->relay->host());
    addRelayPanels(window, m_fixture->relay->host());
    for (const QString &dock : {u"relayStreamsPanelDock"_s, u"streamDetailPanelDock"_s,
                                u"tokensPanelDock"_s, u"cursorsPanelDock"_s}) {
        QVERIFY2(window.findChild<QDockWidget *>(dock), qPrintable(dock));
    }
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *view = window.findChild<QTableView *>(u"relayStreamsView"_s);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    view->selectRow(0);
    // The detail panel follows the streams panel's selection.
    QTRY_COMPARE(window.findChild<QLabel *>(u"streamDetailTitle"_s)->text(),
                 u"Stream %1"_s.arg(readerA));
}

QTEST_MAIN(ConsoleRelayModelsTest)
#include "consolerelaymodels.moc"
