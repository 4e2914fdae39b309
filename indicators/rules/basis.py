"""The report's words each marker rests on (docs/markers.md, "basis in the report").

Quoted from SCEEUS Report No. 13 (A. Golts, "After the Kursk Incursion: A Turning Point
for Russian Mobilisation?", 2024); the composite level rests on docs/markers.md's own rule.
"""

MOBILISATION_BASIS = (
    "The mobilisation announced in September 2022 has not been officially terminated, which "
    "in theory allows the Russian government to return to this form of recruitment as soon "
    "as it deems it necessary."
)
MARTIAL_LAW_BASIS = (
    "The President can extend their term of service only if martial law is introduced beforehand."
)
CALLUP_SIZE_BASIS = (
    "The future intentions of the Russian authorities regarding conscription can be judged by "
    "the timing and size of the autumn draft … In the past 10 years, the number conscripted "
    "in the autumn has fluctuated between 120,000 and 150,000."
)
CALLUP_TIMING_BASIS = (
    "The future intentions of the Russian authorities regarding conscription can be judged by "
    "the timing and size of the autumn draft in 2024, which usually begins on October 1. (In "
    "2022 the timing was changed because of the mobilisation that took place in October that "
    "year.)"
)
DISCHARGE_BASIS = (
    "The soldiers drafted in 2023 must be discharged by October to November 2024 … there "
    "would be no legal grounds to keep them at the front."
)
FORCE_SIZE_BASIS = (
    "It is noteworthy that on 16 September 2024, Putin signed a decree on increasing the "
    "Armed Forces by 180,000 soldiers."
)
RISK_LEVEL_BASIS = (
    "Any critical marker in the last 90 days: RED. Two or more warnings in the last 60 days: "
    "AMBER. Otherwise GREEN."
)
FEDERAL_BONUS_BASIS = (
    "The difficult recruitment situation is also indicated by the fact that Putin has doubled "
    "the one-off federal payment (additional to regional payments) for signing a contract "
    "from 200,000 to 400,000 roubles."
)
REGIONAL_ESCALATION_BASIS = (
    "The growing difficulties with voluntary recruitment are also indicated by the fact that "
    "in an effort to attract people to the army, regional authorities are forced to "
    "constantly increase the amount of money paid for signing a contract."
)
REGIONAL_RECORD_BASIS = (
    "In Moscow and St Petersburg, for example, each person who signs a contract is paid about "
    "2,000,000 roubles (US$ 22,250) as a regional payment. … In this situation, there is real "
    "competition between the regions."
)
REGIONAL_CUT_BASIS = (
    "Since this money is taken from regional budgets, richer regions have greater "
    "opportunities to fill quotas. (A cut is ambiguous: budget strain, or a quota already "
    "met; it is reported, not judged.)"
)
