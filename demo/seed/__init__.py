"""The demo world, seeded app by app through the same services the pages use.

`world.seed_world` runs the steps in a fixed order; each module seeds what one app holds
(`accounts`, `directory`, `cases`, `assessments`, `plans`, `monitoring`, `referrals`,
`supervision`) and they share one `context.SeedContext`: today, the seeded random generator,
the demo staff. The order matters: the generator is drawn from step by step, so moving a
call changes every case after it.
"""
