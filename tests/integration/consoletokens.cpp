#include "relay/relayconsoleservice.h"
#include "relay/tokenspanel.h"
#include "relay/tokenstore.h"

#include "consolerelayfixture.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

// Device tokens in the console: provisioning by clicking through the dialog writes the token to
// the database and shows the raw value once; revoking asks first, then ends the device's session.
class ConsoleTokensTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void provisionShowsTheTokenOnce();
    void forwarderIdComesFromTheToken();
    void refusedRequestKeepsTheDialogOpen();
    void revokeAsksThenEndsTheSession();

private:
    QDialog *openProvisionDialog();
    QString provision(int typeIndex, const QString &deviceId);
    QList<TokenInfo> storedTokens();

    std::unique_ptr<ConsoleRelayFixture> m_fixture;
    std::unique_ptr<TokensPanel> m_panel;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void ConsoleTokensTest::init()
{
    m_fixture = std::make_unique<ConsoleRelayFixture>();
    PITWALL_START_CONSOLE_RELAY(*m_fixture);
    m_panel = std::make_unique<TokensPanel>(*m_fixture->console);
    auto *view = m_panel->findChild<QTableView *>(u"tokensView"_s);
    QVERIFY(view);
    m_tester = std::make_unique<QAbstractItemModelTester>(
            view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void ConsoleTokensTest::cleanup()
{
    m_tester.reset();
    m_panel.reset();
    m_fixture.reset();
}

QDialog *ConsoleTokensTest::openProvisionDialog()
{
    QTest::mouseClick(m_panel->findChild<QPushButton *>(u"provisionTokenButton"_s),
                      Qt::LeftButton);
    auto *dialog = m_panel->findChild<QDialog *>(u"ProvisionTokenDialog"_s);
    return dialog && QTest::qWaitForWindowExposed(dialog) ? dialog : nullptr;
}

// Fills in and submits the dialog; the raw token it shows (empty when none appeared).
QString ConsoleTokensTest::provision(int typeIndex, const QString &deviceId)
{
    QDialog *dialog = openProvisionDialog();
    if (!dialog)
        return {};
    dialog->findChild<QComboBox *>(u"deviceTypeCombo"_s)->setCurrentIndex(typeIndex);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(u"deviceIdEdit"_s), deviceId);
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"createTokenButton"_s), Qt::LeftButton);
    auto *token = dialog->findChild<QLineEdit *>(u"rawTokenEdit"_s);
    const bool shown = QTest::qWaitFor(
            [token] { return token->isVisible() && !token->text().isEmpty(); }, 10000);
    return shown ? token->text() : QString();
}

QList<TokenInfo> ConsoleTokensTest::storedTokens()
{
    TokenError error;
    const auto tokens = TokenStore(m_fixture->database->database()).list(&error);
    return tokens.value_or(QList<TokenInfo>());
}

void ConsoleTokensTest::provisionShowsTheTokenOnce()
{
    const QString raw = provision(1, u"  finish-screen  "_s);
    QCOMPARE(raw.size(), 43);
    auto *dialog = m_panel->findChild<QDialog *>(u"ProvisionTokenDialog"_s);
    QVERIFY(dialog->findChild<QLabel *>(u"tokenWarning"_s)->isVisible());
    QVERIFY(dialog->findChild<QLabel *>(u"tokenIdentity"_s)->text().contains(u"finish-screen"_s));

    // In the database: the token authenticates as the receiver, only its hash is stored.
    const auto identity = TokenStore(m_fixture->database->database()).authenticate(raw);
    QVERIFY(identity);
    QCOMPARE(identity->deviceType, DeviceType::Receiver);
    QCOMPARE(identity->deviceId, u"finish-screen"_s);
    QCOMPARE(storedTokens().size(), 1);

    QTest::mouseClick(dialog->findChild<QPushButton *>(u"copyTokenButton"_s), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), raw);

    // Listed, but nowhere with its raw value.
    auto *view = m_panel->findChild<QTableView *>(u"tokensView"_s);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    for (int column = 0; column < view->model()->columnCount(); ++column)
        QVERIFY(!view->model()->index(0, column).data().toString().contains(raw));
    QCOMPARE(view->model()->index(0, 1).data().toString(), u"finish-screen"_s);

    // Closed, it is gone: the next dialog starts empty.
    QPointer<QDialog> closed = dialog;
    dialog->reject();
    QTRY_VERIFY(closed.isNull());
    QDialog *next = openProvisionDialog();
    QVERIFY(next);
    QVERIFY(next->findChild<QLineEdit *>(u"rawTokenEdit"_s)->text().isEmpty());
    QVERIFY(!next->findChild<QLineEdit *>(u"rawTokenEdit"_s)->isVisible());
    next->reject();
}

void ConsoleTokensTest::forwarderIdComesFromTheToken()
{
    const QString raw = provision(0, u"start-line"_s);
    QVERIFY(!raw.isEmpty());
    const auto identity = TokenStore(m_fixture->database->database()).authenticate(raw);
    QVERIFY(identity);
    QCOMPARE(identity->deviceType, DeviceType::Forwarder);
    QCOMPARE(identity->deviceId, TokenStore::forwarderIdFor(raw));
    auto *dialog = m_panel->findChild<QDialog *>(u"ProvisionTokenDialog"_s);
    QVERIFY(dialog->findChild<QLabel *>(u"tokenIdentity"_s)
                    ->text()
                    .contains(TokenStore::forwarderIdFor(raw)));
    dialog->reject();
}

void ConsoleTokensTest::refusedRequestKeepsTheDialogOpen()
{
    QDialog *dialog = openProvisionDialog();
    QVERIFY(dialog);
    auto *create = dialog->findChild<QPushButton *>(u"createTokenButton"_s);
    QTest::mouseClick(create, Qt::LeftButton); // no device id
    auto *error = dialog->findChild<QLabel *>(u"provisionError"_s);
    QTRY_VERIFY(error->isVisible());
    QVERIFY(error->text().contains(u"device id"_s));
    QVERIFY(create->isEnabled());
    QVERIFY(dialog->isVisible());
    QVERIFY(storedTokens().isEmpty());
    dialog->reject();
}

void ConsoleTokensTest::revokeAsksThenEndsTheSession()
{
    QString error;
    const std::unique_ptr<RelayClient> forwarder =
            m_fixture->relay->connectForwarder({u"10.0.0.5:10000"_s}, &error);
    QVERIFY2(forwarder, qPrintable(error));
    auto *view = m_panel->findChild<QTableView *>(u"tokensView"_s);
    m_panel->hide(); // shown again: reloads now rather than at the next refresh
    m_panel->show();
    QTRY_COMPARE(view->model()->rowCount(), 1);
    view->selectRow(0);
    auto *revoke = m_panel->findChild<QPushButton *>(u"revokeTokenButton"_s);
    QVERIFY(revoke->isEnabled());

    // Cancel: nothing happens.
    QTest::mouseClick(revoke, Qt::LeftButton);
    auto *box = m_panel->findChild<QMessageBox *>(u"revokeTokenConfirm"_s);
    QVERIFY(box);
    QVERIFY(box->text().contains(storedTokens().first().deviceId));
    QPointer<QMessageBox> cancelled = box;
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(cancelled.isNull());
    // The service runs requests in order: a revoke sent by Cancel would be done by this reload.
    // (Its signals come from its thread: the spy counts them as they are sent.)
    QSignalSpy reloaded(&m_fixture->console->service(), &RelayConsoleService::tokensLoaded);
    m_panel->hide();
    m_panel->show();
    QTRY_COMPARE(reloaded.size(), 1);
    QVERIFY(!storedTokens().first().revoked);
    QVERIFY(forwarder->isConnected());

    // Confirmed: revoked in the database, the live session closed, the row says so.
    QTest::mouseClick(revoke, Qt::LeftButton);
    box = m_panel->findChild<QMessageBox *>(u"revokeTokenConfirm"_s);
    QVERIFY(box);
    QTest::mouseClick(box->findChild<QPushButton *>(u"revokeTokenConfirmButton"_s),
                      Qt::LeftButton);
    QVERIFY(forwarder->waitForDisconnect());
    const QList<TokenInfo> tokens = storedTokens();
    QCOMPARE(tokens.size(), 1);
    QVERIFY(tokens.first().revoked);
    QTRY_COMPARE(view->model()->index(0, 3).data().toString(), u"Revoked"_s);
    QVERIFY(!revoke->isEnabled());
}

QTEST_MAIN(ConsoleTokensTest)
#include "consoletokens.moc"
