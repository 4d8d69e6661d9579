#include "shell/limitsdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

template <typename T>
std::optional<T> setOrNot(const QSpinBox *box)
{
    return box->value() > 0 ? std::optional<T>(T(box->value())) : std::nullopt;
}

} // namespace

LimitsDialog::LimitsDialog(const QString &process, const CgroupLimits &current, QWidget *parent)
    : QDialog(parent)
    , m_form(new QFormLayout)
{
    setObjectName(u"LimitsDialog"_s);
    setWindowTitle(tr("Apply limits to %1").arg(process));
    m_cpuQuota = addField(tr("CPU quota (% of one core):"), CgroupLimits::MaxCpuQuotaPercent,
                          current.cpuQuotaPercent);
    m_cpuQuota->setObjectName(u"cpuQuota"_s);
    m_cpuWeight = addField(tr("CPU weight:"), CgroupLimits::MaxCpuWeight, current.cpuWeight);
    m_cpuWeight->setObjectName(u"cpuWeight"_s);
    m_memoryLimit = addField(tr("Memory limit (MB):"), int(CgroupLimits::MaxMemoryMb),
                             current.memoryLimitMb);
    m_memoryLimit->setObjectName(u"memoryLimit"_s);
    m_memoryHigh = addField(tr("Memory high (MB):"), int(CgroupLimits::MaxMemoryMb),
                            current.memoryHighMb);
    m_memoryHigh->setObjectName(u"memoryHigh"_s);

    auto *note = new QLabel(tr("pitwall-helper applies them as root through pkexec: your system "
                               "may ask for an administrator password."));
    note->setWordWrap(true);
    m_error = new QLabel;
    m_error->setObjectName(u"limitsError"_s);
    m_error->setWordWrap(true);
    m_error->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &LimitsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &LimitsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(note);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
}

QSpinBox *LimitsDialog::addField(const QString &label, int maximum, std::optional<qint64> value)
{
    auto *box = new QSpinBox;
    box->setRange(0, maximum);
    box->setSpecialValueText(tr("not set"));
    box->setValue(int(value.value_or(0)));
    m_form->addRow(label, box);
    return box;
}

CgroupLimits LimitsDialog::limits() const
{
    CgroupLimits limits;
    limits.cpuQuotaPercent = setOrNot<int>(m_cpuQuota);
    limits.cpuWeight = setOrNot<int>(m_cpuWeight);
    limits.memoryLimitMb = setOrNot<qint64>(m_memoryLimit);
    limits.memoryHighMb = setOrNot<qint64>(m_memoryHigh);
    return limits;
}

void LimitsDialog::accept()
{
    const CgroupLimits chosen = limits();
    QString error;
    if (chosen.isEmpty())
        error = tr("Set at least one limit, or use Clear limits to remove them.");
    else if (!chosen.validate(&error))
        error = tr("These limits are out of range: %1").arg(error);
    if (!error.isEmpty()) {
        m_error->setText(error);
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace Pitwall
