package jp.hitotsu.account;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface AccountRepository extends JpaRepository<AccountEntity, UUID> {

	Optional<AccountEntity> findByRealmAndUsername(String realm, String username);

}
