#include "relay/relaystreamspanel.h"
#include "relay/streamstore.h"
#include "relay/streamtablemodel.h"

#include "consolerelayfixture.h"

#include <QAbstractItemModelTester>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString reader = u"10.0.0.7:10000"_s;

} // namespace

// Epoch resets from the relay streams panel against a real relay engine: a confirmation naming
// the stream and its epoch, Cancel changes nothing, Reset reaches the connected forwarder; with
// the forwarder offline the panel explains the 409 and offers nothing that resets.
class ConsoleEpochResetTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void confirmedResetReachesTheForwarder();
    void offlineForwarderIsExplained();
    void forwarderLostWhileConfirming();

private:
    std::unique_ptr<RelayClient> connectWithReads();
    QString cell(int column) const;
    std::optional<StreamInfo> storedStream();
    QMessageBox *clickReset();

    std::unique_ptr<ConsoleRelayFixture> m_fixture;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<RelayStreamsPanel> m_panel;
    QTableView *m_view = nullptr;
};

void ConsoleEpochResetTest::init()
{
    m_fixture = std::make_unique<ConsoleRelayFixture>();
    PITWALL_START_CONSOLE_RELAY(*m_fixture);
    m_tester = std::make_unique<QAbstractItemModelTester>(
            &m_fixture->console->streams(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_panel = std::make_unique<RelayStreamsPanel>(*m_fixture->console);
    m_view = m_panel->findChild<QTableView *>(u"relayStreamsView"_s);
    QVERIFY(m_view);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void ConsoleEpochResetTest::cleanup()
{
    m_panel.reset();
    m_tester.reset();
    m_fixture.reset();
}

// A forwarder with three reads of epoch 1 on `reader`, its stream selected in the panel.
std::unique_ptr<RelayClient> ConsoleEpochResetTest::connectWithReads()
{
    QString error;
    auto forwarder = m_fixture->relay->connectForwarder({reader}, &error);
    if (!forwarder) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    if (!forwarder->sendBatch(relayFrames(reader, 1, 1, 3)))
        return nullptr;
    if (!QTest::qWaitFor([this] { return cell(StreamTableModel::Events) == u"3"_s; }))
        return nullptr;
    m_view->selectRow(0);
    return forwarder;
}

QString ConsoleEpochResetTest::cell(int column) const
{
    return m_fixture->console->streams().index(0, column).data().toString();
}

std::optional<StreamInfo> ConsoleEpochResetTest::storedStream()
{
    StoreError error;
    const auto streams = StreamStore(m_fixture->database->database()).list(&error);
    if (!streams || streams->size() != 1)
        return std::nullopt;
    return streams->first();
}

QMessageBox *ConsoleEpochResetTest::clickReset()
{
    QTest::mouseClick(m_panel->findChild<QPushButton *>(u"resetEpochButton"_s), Qt::LeftButton);
    for (const char *name : {"epochResetConfirm", "epochResetOffline"}) {
        if (auto *box = m_panel->findChild<QMessageBox *>(QString::fromLatin1(name)))
            return box;
    }
    return nullptr;
}

void ConsoleEpochResetTest::confirmedResetReachesTheForwarder()
{
    const auto forwarder = connectWithReads();
    QVERIFY(forwarder);
    QCOMPARE(cell(StreamTableModel::Online), u"Online"_s);

    QMessageBox *box = clickReset();
    QVERIFY(box);
    QCOMPARE(box->objectName(), u"epochResetConfirm"_s);
    QVERIFY(box->text().contains(reader));
    QVERIFY(box->text().contains(u"current epoch is 1"_s));
    QVERIFY(box->text().contains(u"start epoch 2"_s));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    QPointer<QMessageBox> cancelled = box;
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(cancelled.isNull());
    QVERIFY(!storedStream()->pendingEpoch);

    QSignalSpy finished(m_fixture->console.get(), &RelayConsole::epochResetFinished);
    QSignalSpy messages(m_fixture->console.get(), &RelayConsole::message);
    box = clickReset();
    QVERIFY(box);
    QTest::mouseClick(box->findChild<QPushButton *>(u"epochResetConfirmButton"_s),
                      Qt::LeftButton);
    const auto command = forwarder->waitFor<EpochResetCommand>();
    QVERIFY(command);
    QCOMPARE(command->readerIp, reader);
    QCOMPARE(command->newStreamEpoch, 2);
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(1).toInt(), 204);
    QTRY_COMPARE(messages.size(), 1);
    QVERIFY(messages.first().first().toString().contains(reader));
    QCOMPARE(storedStream()->pendingEpoch, 2);
    QTRY_COMPARE(cell(StreamTableModel::PendingEpoch), u"2"_s);
    // Only the confirmed request reached the forwarder: Cancel sent nothing.
    QCOMPARE(forwarder->all<EpochResetCommand>().size(), 1);

    // The forwarder's first read of epoch 2 moves the row on, live.
    QVERIFY(forwarder->sendBatch(relayFrames(reader, 2, 1, 1)));
    QTRY_COMPARE(cell(StreamTableModel::Epoch), u"2"_s);
    QTRY_COMPARE(cell(StreamTableModel::PendingEpoch), QString());
}

void ConsoleEpochResetTest::offlineForwarderIsExplained()
{
    const auto forwarder = connectWithReads();
    QVERIFY(forwarder);
    forwarder->close();
    QTRY_COMPARE(cell(StreamTableModel::Online), u"Offline"_s);

    QMessageBox *box = clickReset();
    QVERIFY(box);
    QCOMPARE(box->objectName(), u"epochResetOffline"_s);
    QVERIFY(box->text().contains(reader));
    QVERIFY(box->text().contains(u"409"_s));
    // Nothing destructive on offer: OK is the only button.
    QCOMPARE(box->buttons().size(), 1);
    QCOMPARE(box->standardButton(box->buttons().first()), QMessageBox::Ok);
    QVERIFY(!m_panel->findChild<QMessageBox *>(u"epochResetConfirm"_s));
    QTest::mouseClick(box->buttons().first(), Qt::LeftButton);
    QVERIFY(!storedStream()->pendingEpoch);
}

void ConsoleEpochResetTest::forwarderLostWhileConfirming()
{
    // Asked while online, confirmed after the forwarder dropped: the engine answers 409 and the
    // panel explains it as it does for an offline stream.
    const auto forwarder = connectWithReads();
    QVERIFY(forwarder);
    QMessageBox *box = clickReset();
    QVERIFY(box);
    QCOMPARE(box->objectName(), u"epochResetConfirm"_s);
    forwarder->close();
    QTRY_COMPARE(cell(StreamTableModel::Online), u"Offline"_s);
    QSignalSpy finished(m_fixture->console.get(), &RelayConsole::epochResetFinished);
    QTest::mouseClick(box->findChild<QPushButton *>(u"epochResetConfirmButton"_s),
                      Qt::LeftButton);
    QVERIFY(finished.wait());
    QCOMPARE(finished.first().at(0).toString(), storedStream()->streamId);
    QCOMPARE(finished.first().at(1).toInt(), 409);
    QCOMPARE(finished.first().at(2).toString(), u"forwarder not connected"_s);
    QTRY_VERIFY(m_panel->findChild<QMessageBox *>(u"epochResetOffline"_s));
    QVERIFY(!storedStream()->pendingEpoch);
}

QTEST_MAIN(ConsoleEpochResetTest)
#include "consoleepochreset.moc"
