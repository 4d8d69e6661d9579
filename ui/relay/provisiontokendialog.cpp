#include "provisiontokendialog.h"

#include "relayconsole.h"
#include "relayconsoleservice.h"
#include "tokentablemodel.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pitwall {

ProvisionTokenDialog::ProvisionTokenDialog(RelayConsole &console, QWidget *parent)
    : QDialog(parent)
    , m_console(console)
    , m_pages(new QStackedWidget(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
    // Not an accept button: creating keeps the dialog open to show the token.
    , m_create(m_buttons->addButton(tr("Create token"), QDialogButtonBox::ActionRole))
{
    setObjectName(u"ProvisionTokenDialog"_s);
    setWindowTitle(tr("Provision device token"));
    m_create->setObjectName(u"createTokenButton"_s);
    m_create->setDefault(true);
    m_pages->addWidget(createRequestPage());
    m_pages->addWidget(createTokenPage());
    connect(m_create, &QPushButton::clicked, this, &ProvisionTokenDialog::create);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(&console.service(), &RelayConsoleService::tokenCreated, this,
            &ProvisionTokenDialog::created);
    connect(&console.service(), &RelayConsoleService::tokenCreateFailed, this,
            &ProvisionTokenDialog::refused);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    layout->addWidget(m_buttons);
    resize(560, sizeHint().height());
}

ProvisionTokenDialog::~ProvisionTokenDialog() = default;

QWidget *ProvisionTokenDialog::createRequestPage()
{
    auto *page = new QWidget(this);
    m_deviceType = new QComboBox(page);
    m_deviceType->setObjectName(u"deviceTypeCombo"_s);
    for (const DeviceType type : {DeviceType::Forwarder, DeviceType::Receiver})
        m_deviceType->addItem(TokenTableModel::deviceTypeText(type), deviceTypeName(type));
    m_deviceId = new QLineEdit(page);
    m_deviceId->setObjectName(u"deviceIdEdit"_s);
    m_error = new QLabel(page);
    m_error->setObjectName(u"provisionError"_s);
    m_error->setWordWrap(true);
    m_error->hide();
    auto *note = new QLabel(tr("A forwarder's id is derived from its token; the name entered "
                               "here only labels the request. A receiver keeps the id entered."),
                            page);
    note->setWordWrap(true);
    auto *form = new QFormLayout(page);
    form->addRow(tr("Device type:"), m_deviceType);
    form->addRow(tr("Device id:"), m_deviceId);
    form->addRow(note);
    form->addRow(m_error);
    return page;
}

QWidget *ProvisionTokenDialog::createTokenPage()
{
    auto *page = new QWidget(this);
    auto *warning = new QLabel(tr("<b>Copy this token now.</b> It is shown only this once: "
                                  "Pitwall stores only its hash and cannot show it again. "
                                  "Anyone who has it can connect as this device."),
                               page);
    warning->setObjectName(u"tokenWarning"_s);
    warning->setWordWrap(true);
    m_identity = new QLabel(page);
    m_identity->setObjectName(u"tokenIdentity"_s);
    m_identity->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_token = new QLineEdit(page);
    m_token->setObjectName(u"rawTokenEdit"_s);
    m_token->setReadOnly(true);
    auto *copy = new QPushButton(tr("Copy"), page);
    copy->setObjectName(u"copyTokenButton"_s);
    connect(copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_token->text());
    });
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(copy);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(warning);
    layout->addWidget(m_identity);
    layout->addLayout(tokenRow);
    layout->addStretch();
    return page;
}

void ProvisionTokenDialog::create()
{
    m_waiting = true;
    m_create->setEnabled(false);
    m_error->hide();
    m_console.run([type = m_deviceType->currentData().toString(),
                   id = m_deviceId->text()](RelayConsoleService &service) {
        service.createToken(type, id);
    });
}

void ProvisionTokenDialog::created(const CreatedToken &token)
{
    if (!std::exchange(m_waiting, false))
        return; // another dialog's
    m_identity->setText(tr("%1 %2, token id %3")
                                .arg(TokenTableModel::deviceTypeText(token.deviceType),
                                     token.deviceId, token.tokenId));
    m_token->setText(token.token);
    m_token->selectAll();
    m_create->hide();
    m_pages->setCurrentIndex(1);
}

void ProvisionTokenDialog::refused(const QString &message)
{
    if (!std::exchange(m_waiting, false))
        return;
    m_create->setEnabled(true);
    m_error->setText(tr("The token was not created: %1.").arg(message));
    m_error->show();
}

} // namespace Pitwall
