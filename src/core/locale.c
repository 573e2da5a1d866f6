/* printf and strtod follow LC_NUMERIC, so in a program that called
 * setlocale(LC_ALL, "") they would write and expect "0,5". uselocale()
 * switches only the calling thread to "C", so text formats (the model
 * file) read and write the same bytes in every program and thread. */
#include "core.h"

bool fsnsa__c_locale_enter(fsnsa__c_locale *l)
{
    l->c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (l->c == (locale_t)0)
        return false;
    l->old = uselocale(l->c);
    return true;
}

void fsnsa__c_locale_leave(fsnsa__c_locale *l)
{
    uselocale(l->old);
    freelocale(l->c);
}
