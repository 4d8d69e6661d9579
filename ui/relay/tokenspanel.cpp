#include "tokenspanel.h"

#include "panelrefresher.h"
#include "provisiontokendialog.h"
#include "relayconsole.h"
#include "relayconsoleservice.h"
#include "relaydialogs.h"
#include "relaytable.h"
#include "tokentablemodel.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pitwall {

TokensPanel::TokensPanel(RelayConsole &console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
    , m_model(new TokenTableModel(this))
    , m_view(createRelayTable(m_model, u"tokensView"_s, this))
    , m_revoke(new QPushButton(tr("Revoke…"), this))
{
    setObjectName(u"tokensPanel"_s);
    auto *provision = new QPushButton(tr("Provision…"), this);
    provision->setObjectName(u"provisionTokenButton"_s);
    m_revoke->setObjectName(u"revokeTokenButton"_s);
    m_revoke->setEnabled(false);
    connect(provision, &QPushButton::clicked, this, &TokensPanel::provision);
    connect(m_revoke, &QPushButton::clicked, this, &TokensPanel::revoke);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TokensPanel::updateRevoke);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &TokensPanel::updateRevoke);
    const RelayConsoleService &service = console.service();
    connect(&service, &RelayConsoleService::tokensLoaded, m_model, &TokenTableModel::merge);
    connect(&service, &RelayConsoleService::tokenCreated, this, &TokensPanel::load);
    connect(&service, &RelayConsoleService::tokenRevoked, this, &TokensPanel::load);
    new PanelRefresher(this, std::chrono::seconds(10), [this] { load(); });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(provision);
    buttons->addWidget(m_revoke);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_view);
}

TokensPanel::~TokensPanel() = default;

void TokensPanel::updateRevoke()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    m_revoke->setEnabled(!rows.isEmpty() && !m_model->at(rows.first().row()).revoked);
}

void TokensPanel::load()
{
    m_console.run([](RelayConsoleService &service) { service.loadTokens(); });
}

void TokensPanel::provision()
{
    auto *dialog = new ProvisionTokenDialog(m_console, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void TokensPanel::revoke()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const TokenInfo token = m_model->at(rows.first().row());
    askToConfirm(this, u"revokeTokenConfirm"_s, tr("Revoke token?"),
                 tr("Revoke the token of %1 %2?\n\nIts sessions end now and the device cannot "
                    "connect with it again. This cannot be undone.")
                         .arg(TokenTableModel::deviceTypeText(token.deviceType), token.deviceId),
                 tr("Revoke"), [this, tokenId = token.tokenId] {
                     m_console.run([tokenId](RelayConsoleService &service) {
                         service.revokeToken(tokenId);
                     });
                 });
}

} // namespace Pitwall
